/**
 * The Chaster wire types (DECISIONS §14), from Chaster's official SDK `@chasterapp/chaster-js`
 * (a dev dependency: its types only, erased at build). The SDK declares its enums as TypeScript
 * `enum`s, to which a string literal does not assign; `Wire<T>` is T with every enum spelled as
 * its string values, so the mappers build plain JSON and `satisfies Wire<…>` still fails to
 * compile when the SDK has a field we lack or a value outside its enum.
 */
import type {
  ActionLogForPublic,
  ExtensionHomeAction,
  ExtensionPartyForPublic,
  ExtensionSessionForPartner,
  ExtensionSessionForSearch,
  GetHistoryRepDto,
  GetPartnerLogsDto,
  GetRegularActionsRepDto,
  GetSessionsRepDto,
  LockForPublic,
  PartnerCustomLogActionDto,
  PartnerGetSessionAuthRepDto,
  PartnerMetadata,
  PatchExtensionSessionDto,
  SubmitRegularActionErrorDto,
  UserForPublic,
} from '@chasterapp/chaster-js';

export type Wire<T> = T extends string ? `${T}` : T extends Array<infer U> ? Array<Wire<U>> : T extends object ? { [K in keyof T]: Wire<T[K]> } : T;

export type ChasterUser = Wire<UserForPublic>;
export type ChasterLock = Wire<LockForPublic>;
export type ChasterParty = Wire<ExtensionPartyForPublic>;
export type ChasterSession = Wire<ExtensionSessionForPartner>;
export type ChasterSessionForSearch = Wire<ExtensionSessionForSearch>;
export type ChasterSessionSearch = Wire<GetSessionsRepDto>;
export type ChasterHistoryPage = Wire<GetHistoryRepDto>;
export type ChasterMetadata = Wire<PartnerMetadata>;
export type ChasterHomeAction = Wire<ExtensionHomeAction>;
export type ChasterAuth = Wire<PartnerGetSessionAuthRepDto>;
export type ChasterRegularActions = Wire<GetRegularActionsRepDto>;
export type ChasterRegularActionsRefusal = Wire<SubmitRegularActionErrorDto>;
export type ChasterActionLog = Wire<ActionLogForPublic>;
export type ChasterLogSearch = Wire<GetPartnerLogsDto>;
export type ChasterCustomLog = Wire<PartnerCustomLogActionDto>;
export type ChasterSessionPatch = Wire<PatchExtensionSessionDto>;
/** A Chaster role on a lock (`PartnerUserRoleEnum`). */
export type ChasterRole = ChasterAuth['role'];
/** Who a regular-actions mode lets act (`mode`); latch has no `turn` mode yet. */
export type ChasterMode = ChasterParty['mode'];
