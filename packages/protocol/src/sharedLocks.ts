import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, LockSettingsInput, LockStatus, Nullable, ObjectId, PublicUser } from './schemas.js';

const TEN_YEARS = 10 * 365 * 86400;
const Seconds = (description: string) => Type.Integer({ minimum: 0, maximum: TEN_YEARS, description });

/** Durations, limits and options of a new lock (lock creation and a shared lock's template alike). */
export const LockTermsFields = {
  durationSeconds: Type.Optional(Seconds('Initial timer (or give randomDuration)')),
  randomDuration: Type.Optional(
    Type.Object(
      { minSeconds: Seconds('Shortest initial timer'), maxSeconds: Seconds('Longest initial timer') },
      { additionalProperties: false, description: 'The server draws the initial timer between these (the wearer does not learn it when the timer is hidden)' },
    ),
  ),
  maxDurationSeconds: Type.Optional(Seconds('Limit lock time: the timer can never end later than start + this (only the wearer moves it, only later)')),
  minLimitDurationSeconds: Type.Optional(Seconds('Minimum lock time: nobody can unlock before start + this')),
  hiddenTimer: Type.Optional(Type.Boolean({ description: 'Hide the remaining time from the wearer ("display remaining time" off)' })),
  hideTimeLogs: Type.Optional(Type.Boolean({ description: 'Leave time changes out of the history the wearer reads' })),
};

const TemplateExtension = Type.Object(
  {
    slug: Type.String({ minLength: 1, maxLength: 64, pattern: '^[a-z0-9][a-z0-9_-]*$' }),
    config: Type.Optional(Type.Record(Type.String(), Type.Unknown(), { description: 'The extension’s config for every lock loaded from the template (≤ 64 KiB)' })),
  },
  { additionalProperties: false },
);

export const SharedLockTemplate = Type.Object(
  { ...LockTermsFields, settings: Type.Optional(LockSettingsInput), extensions: Type.Optional(Type.Array(TemplateExtension, { maxItems: 20 })) },
  { additionalProperties: false },
);
export type SharedLockTemplate = Static<typeof SharedLockTemplate>;

export const SharedLock = Type.Object({
  id: ObjectId,
  name: Type.String(),
  description: Type.String(),
  keyholder: PublicUser,
  requiresPassword: Type.Boolean(),
  disabled: Type.Boolean(),
  template: Nullable(SharedLockTemplate, { description: 'null until the password is given (POST …/open)' }),
  createdAt: IsoDate,
  updatedAt: IsoDate,
  disabledAt: Nullable(IsoDate),
});
export type SharedLock = Static<typeof SharedLock>;

export const SharedLinkSettings = Type.Object(
  {
    enabled: Type.Boolean(),
    addSeconds: Type.Integer({ minimum: 0, maximum: 604800, description: 'Time one "add" vote adds; 0: visitors cannot add' }),
    removeSeconds: Type.Integer({ minimum: 0, maximum: 604800, description: 'Time one "remove" vote removes; 0: visitors cannot remove' }),
    allowRandom: Type.Boolean({ description: 'Visitors may vote "random" (add or remove, even odds)' }),
    periodSeconds: Type.Integer({ minimum: 60, maximum: 2592000, description: 'One vote per visitor (signed-in user, else client address) per period; Chaster: a day' }),
    signedInOnly: Type.Boolean({ description: 'Only signed-in users may vote' }),
    requiredVotes: Type.Integer({
      minimum: 0,
      maximum: 100000,
      description: 'Votes the lock needs before it can be unlocked (unlock hold `visitor_votes`); only a keyholder may lower it',
    }),
  },
  { additionalProperties: false },
);

export const SharedLink = Type.Composite([SharedLinkSettings, Type.Object({ id: ObjectId, lockId: ObjectId, votes: Type.Integer(), createdAt: IsoDate, updatedAt: IsoDate })]);
export type SharedLink = Static<typeof SharedLink>;

export const PublicSharedLink = Type.Object({
  id: ObjectId,
  lockTitle: Type.String(),
  wearer: Type.String({ description: 'The wearer’s username' }),
  status: LockStatus,
  frozen: Type.Boolean(),
  timeRemainingSeconds: Nullable(Type.Integer(), { description: 'null when the timer is hidden from the wearer' }),
  addSeconds: Type.Integer(),
  removeSeconds: Type.Integer(),
  allowRandom: Type.Boolean(),
  periodSeconds: Type.Integer(),
  signedInOnly: Type.Boolean(),
  votes: Type.Integer(),
  requiredVotes: Type.Integer(),
  enabled: Type.Boolean(),
});
export type PublicSharedLink = Static<typeof PublicSharedLink>;
