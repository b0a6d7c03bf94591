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
