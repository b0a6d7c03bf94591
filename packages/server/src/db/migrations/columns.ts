import type { ColumnDefinitionBuilder, CreateTableBuilder, Kysely } from 'kysely';

// The column shapes every table repeats. Shipped migrations are written with these, so what one
// of them produces must never change (test/migration-schema.test.ts pins the result): a new shape
// is a new helper.

type Column = (c: ColumnDefinitionBuilder) => ColumnDefinitionBuilder;
type Table = CreateTableBuilder<string, string>;

/** An id of ours (src/ids.ts), as a key or a reference. */
export const ID = 'varchar(24)';

export const required: Column = (c) => c.notNull();

/** A reference that must be set: `references <table>.id`. */
export const refTo =
  (table: string): Column =>
  (c) =>
    c.notNull().references(`${table}.id`);

/** `create table` keyed by one of our ids. */
export function entityTable(db: Kysely<any>, name: string): Table {
  return db.schema.createTable(name).addColumn('id', ID, (c) => c.primaryKey());
}

/** `created_at` (epoch milliseconds, like every instant we store). */
export const createdAt = (t: Table): Table => t.addColumn('created_at', 'bigint', required);

/** `created_at` and `updated_at`. */
export const timestamps = (t: Table): Table => createdAt(t).addColumn('updated_at', 'bigint', required);

/** A plain index on `table (columns…)`. */
export function createIndex(db: Kysely<any>, name: string, table: string, columns: string[]): Promise<void> {
  return db.schema.createIndex(name).on(table).columns(columns).execute();
}
