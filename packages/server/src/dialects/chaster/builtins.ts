import type { PilloryVotes } from '@latch/protocol';

/** One vote period of `GET …/pillory/status` (pillory page of Chaster's docs). */
export interface ChasterPilloryVote {
  _id: string;
  nbVotes: number;
  totalDurationAdded: number;
  voteEndsAt: string;
  reason: string | null;
  createdAt: string;
}

/** latch's running pillory and its votes, as Chaster answers the pillory status. */
export function chasterPilloryStatus(pillories: PilloryVotes[]): { votes: ChasterPilloryVote[] } {
  return {
    votes: pillories.map((p) => ({ _id: p.id, nbVotes: p.votes, totalDurationAdded: p.secondsAdded, voteEndsAt: p.endsAt, reason: p.reason, createdAt: p.startedAt })),
  };
}
