import { Type, type Static } from '@sinclair/typebox';
import { IsoDate, Nullable, ObjectId } from './schemas.js';

/** Who asked for something on a lock (the actor system: a person, or an extension acting for itself). */
export const RequestedBy = Type.Object({
  role: Type.Union([Type.Literal('wearer'), Type.Literal('keyholder'), Type.Literal('extension')]),
  userId: Nullable(ObjectId),
  extensionSlug: Nullable(Type.String()),
});

/** A verification picture: asked for with a code the wearer shows on the picture, then uploaded by the wearer. */
export const VerificationPicture = Type.Object({
  id: ObjectId,
  lockId: ObjectId,
  code: Type.String({ description: 'Write it on a paper visible in the picture' }),
  status: Type.Union([Type.Literal('requested'), Type.Literal('submitted')]),
  requestedBy: RequestedBy,
  requestedAt: IsoDate,
  submittedAt: Nullable(IsoDate),
  imageUrl: Nullable(Type.String({ description: 'Same-origin; needs the session cookie of the wearer or keyholder' })),
  contentType: Nullable(Type.String()),
});
export type VerificationPicture = Static<typeof VerificationPicture>;

/** One pillory (from the action that started it to its end) and the votes cast on it. */
export const PilloryVotes = Type.Object({
  id: ObjectId,
  lockId: ObjectId,
  wearer: Type.String({ description: 'The wearer’s username' }),
  reason: Nullable(Type.String()),
  startedAt: IsoDate,
  endsAt: IsoDate,
  votes: Type.Integer(),
  secondsAdded: Type.Integer(),
  secondsPerVote: Type.Integer(),
});
export type PilloryVotes = Static<typeof PilloryVotes>;

/**
 * A habit an extension declares (Chaster's penalties page, developer interface): something the
 * wearer must do, counted by the extension's backend (`POST …/penalties/increment`).
 */
export const Habit = Type.Object(
  {
    name: Type.String({ pattern: '^[a-z0-9_-]{1,20}$', description: '1–20 of a–z, 0–9, `-`, `_`; unique per app; what the API calls use' }),
    label: Type.String({ minLength: 1, maxLength: 80 }),
    type: Type.Union([Type.Literal('recurring'), Type.Literal('time_limit')]),
    paramsText: Type.String({ maxLength: 200, description: 'What the parameters mean, e.g. "Number of dice rolls required"' }),
    punishmentText: Type.String({ maxLength: 200, description: 'What the punishment is for, e.g. "Penalty for not rolling the dice in time"' }),
  },
  { additionalProperties: false },
);
export type Habit = Static<typeof Habit>;

/** A punishment: one of Chaster's lock actions (`add_time` seconds, open-ended `freeze`, `pillory {duration, reason?}`). */
export const PenaltyPunishment = Type.Object(
  {
    name: Type.Union([Type.Literal('add_time'), Type.Literal('freeze'), Type.Literal('pillory')]),
    params: Type.Optional(Type.Unknown({ description: 'add_time: seconds; freeze: none; pillory: {duration (seconds), reason?}' })),
  },
  { additionalProperties: false },
);
export type PenaltyPunishment = Static<typeof PenaltyPunishment>;

export const RecurringPenaltyParams = Type.Object(
  {
    nbActions: Type.Integer({ minimum: 1, maximum: 1000, description: 'Actions required per period' }),
    frequency: Type.Integer({ minimum: 3600, maximum: 604800, multipleOf: 3600, description: 'Period length in seconds: whole hours, 1 h – 7 days' }),
  },
  { additionalProperties: false },
);
export const TimeLimitPenaltyParams = Type.Object(
  { timeLimit: Type.Integer({ minimum: 60, maximum: 604800, description: 'Seconds from the time limit’s creation to do the action' }) },
  { additionalProperties: false },
);

/** One habit the lock's controller enables (`PUT /api/locks/{lockId}/penalties`): its params by type, and its punishments. */
export const LockHabitInput = Type.Object(
  {
    extensionSlug: Type.String({ minLength: 1, maxLength: 64 }),
    habitName: Type.String({ minLength: 1, maxLength: 20 }),
    recurringParams: Type.Optional(RecurringPenaltyParams),
    timeLimitParams: Type.Optional(TimeLimitPenaltyParams),
    punishments: Type.Array(PenaltyPunishment, { minItems: 1, maxItems: 5 }),
  },
  { additionalProperties: false },
);
export type LockHabitInput = Static<typeof LockHabitInput>;

/** An enabled habit, in Chaster's `HabitForPublic` shape. */
export const PenaltyHabit = Type.Object({
  habitName: Type.String(),
  label: Type.String(),
  extension: Type.Object({ slug: Type.String(), displayName: Type.String(), icon: Type.String() }),
  paramsText: Type.String(),
  punishmentText: Type.String(),
  recurringParams: Nullable(RecurringPenaltyParams),
  timeLimitParams: Nullable(TimeLimitPenaltyParams),
  punishments: Type.Array(PenaltyPunishment),
});

/** A period of a habit, in Chaster's `PenaltyPeriodForPublic` shape (plus the extension's slug: two apps may name habits alike). */
export const PenaltyPeriod = Type.Object({
  _id: ObjectId,
  status: Type.Union([Type.Literal('ongoing'), Type.Literal('validated'), Type.Literal('punished'), Type.Literal('cancelled')]),
  startsAt: IsoDate,
  endsAt: IsoDate,
  habitName: Type.String(),
  extensionSlug: Type.String(),
  nbActionsDone: Type.Integer(),
  nbActionsRequired: Type.Integer(),
  punishments: Type.Array(PenaltyPunishment),
});
export type PenaltyPeriod = Static<typeof PenaltyPeriod>;

/**
 * The lock's penalties (Chaster's `PenaltySessionForPublic`): enabled habits, then periods
 * (ongoing first, then the latest settled); latch adds `available`, the habits the lock's
 * installed extensions declare (what its controller may enable).
 */
export const LockPenalties = Type.Object({
  habits: Type.Array(PenaltyHabit),
  penaltyPeriods: Type.Array(PenaltyPeriod),
  available: Type.Array(Type.Object({ extensionSlug: Type.String(), extensionName: Type.String(), habit: Habit, enabled: Type.Boolean() })),
});
export type LockPenalties = Static<typeof LockPenalties>;
