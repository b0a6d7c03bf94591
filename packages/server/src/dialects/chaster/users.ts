import type { Profile } from '@latch/protocol';
import { bool, fromJson } from '../../db/json.js';
import { objectIdTime } from '../../ids.js';
import type { ViewUser } from '../../storage/sessionView.js';
import type { ChasterUser } from './wire.js';

/** Seen within this long (and showing their status): `online`. */
const ONLINE_WINDOW_MS = 5 * 60_000;
const NEW_MEMBER_MS = 30 * 86_400_000;

/**
 * A user as Chaster's `UserForPublic`: id, username and the public profile latch has; the
 * Chaster-only profile fields (orientation, location, badges…) hold their "not given" values.
 * `lastSeen` is seconds since last seen, shown only when the user shows their online status.
 */
export function chasterUser(user: ViewUser, now: number): ChasterUser {
  const profile = fromJson<Profile>(user.profile, {});
  const seen = bool(user.show_online_status) && user.last_seen_at !== null ? user.last_seen_at : null;
  const joined = objectIdTime(user.id);
  return {
    _id: user.id,
    username: user.username,
    description: profile.bio ?? '',
    avatarUrl: profile.avatarUrl ?? '',
    online: seen !== null && now - seen < ONLINE_WINDOW_MS,
    lastSeen: seen === null ? null : Math.max(0, Math.floor((now - seen) / 1000)),
    joinedAt: new Date(joined).toISOString().slice(0, 7),
    isNewMember: now - joined < NEW_MEMBER_MS,
    sexualOrientation: 'Unspecified',
    role: 'unspecified',
    features: [],
    isPremium: false,
    location: '',
    fullLocation: '',
    gender: '',
    age: null,
    isFindom: false,
    isAdmin: false,
    isTeamMember: false,
    isModerator: false,
    metadata: { locktober2020Points: 0, locktober2021Points: 0, chastityMonth2022Points: 0, locktober2022Points: 0, locktober2023Points: 0, locktober2024Points: 0 },
    discordId: null,
    discordUsername: null,
    isDisabled: false,
    isSuspended: false,
    isSuspendedOrDisabled: false,
  } satisfies ChasterUser;
}
