import type React from 'react';

export interface Column<Row> {
  /** The column header (`scope="col"`); with `hideHeader` it is read to screen readers only. */
  header: string;
  hideHeader?: boolean;
  /** The class of this column's cells. */
  className?: string;
  cell: (row: Row) => React.ReactNode;
}

type RowAttributes = React.HTMLAttributes<HTMLTableRowElement> & { [data: `data-${string}`]: string | undefined };

/**
 * Every table of the web UI: a keyboard-scrollable region named by `label`, column headers with
 * `scope="col"`, one row per item. With no rows it shows `empty` (nothing when not given).
 */
export function Table<Row>({
  label,
  caption,
  columns,
  rows,
  rowKey,
  rowAttributes,
  empty = null,
  testId,
}: {
  label: string;
  /** A visually hidden caption, for tables whose region label alone is not enough. */
  caption?: string;
  columns: Array<Column<Row>>;
  rows: readonly Row[];
  rowKey: (row: Row, index: number) => string;
  rowAttributes?: (row: Row) => RowAttributes;
  empty?: React.ReactNode;
  testId?: string;
}) {
  if (rows.length === 0) return <>{empty}</>;
  return (
    <div className="table-wrap" tabIndex={0} role="region" aria-label={label}>
      <table data-testid={testId}>
        {caption ? <caption className="visually-hidden">{caption}</caption> : null}
        <thead>
          <tr>
            {columns.map((c) => (
              <th key={c.header} scope="col">
                {c.hideHeader ? <span className="visually-hidden">{c.header}</span> : c.header}
              </th>
            ))}
          </tr>
        </thead>
        <tbody>
          {rows.map((row, i) => (
            <tr key={rowKey(row, i)} {...rowAttributes?.(row)}>
              {columns.map((c) => (
                <td key={c.header} className={c.className}>
                  {c.cell(row)}
                </td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
