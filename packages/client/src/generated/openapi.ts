/**
 * GENERATED FILE: do not edit. Types of the latch HTTP API, produced from the OpenAPI document
 * (GET /api/openapi.json) by openapi-typescript. Regenerate with:
 *
 *   npm run generate -w @latch/client
 *
 * A test (packages/client/test/generated.test.ts) fails when this file and the server drift apart.
 */

export interface paths {
    "/api/extensions/sessions/{sessionId}/auth": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Issue a fresh launch token (main token) for the signed-in participant, revoking the previous one
         * @description Rotates like POST (DECISIONS §3), except when a browser says the request comes from another site (`Sec-Fetch-Site: cross-site` or `same-site`, e.g. a link on another page): then it adds a token and revokes nothing, so a cross-site navigation cannot end an open extension. Lifetime 10 hours (a Chaster app’s: 12).
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mainToken: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            role: "wearer" | "keyholder";
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `login_required`: This route needs a signed-in user (session cookie). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `extension_not_enabled`: The extension is disabled or removed on this lock. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Issue a fresh launch token (main token) for the signed-in participant, revoking the previous one
         * @description Rotates: the user’s previous tokens for this session stop working. Lifetime 10 hours. Needs the `x-csrf-token` header.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mainToken: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            role: "wearer" | "keyholder";
                            /** Format: date-time */
                            expiresAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `login_required`: This route needs a signed-in user (session cookie). */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `csrf_token_invalid`: A cookie-authenticated mutation lacks the matching `x-csrf-token` header.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/search": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Search the running sessions of your extension; a Chaster app gets chaster-js `GetSessionsRepDto`
         * @description Only the key’s own app. Ascending by id; pass the last `paginationId` as `paginationLastId` for the next page.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        extensionSlug: string;
                        /** @default locked */
                        status?: "locked" | "unlocked" | "deserted" | "all";
                        /** @default 15 */
                        limit?: number;
                        paginationLastId?: string | null;
                    };
                };
            };
            responses: {
                /** @description Chastify app | Chaster app */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            count: number;
                            hasMore: boolean;
                            results: ({
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                lockId: string;
                                role: ("wearer" | "keyholder") | null;
                                status: "locked" | "unlocked" | "deserted" | "removed";
                                extension: {
                                    slug: string;
                                    name: string;
                                    /**
                                     * @description 24-hex id
                                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                                     */
                                    appId: string;
                                };
                                config: unknown;
                                metadata: {
                                    /** @description This extension’s manual blockers */
                                    unlockBlockers: string[];
                                    homeActions: {
                                        slug: string;
                                        title: string;
                                        description?: string;
                                        icon?: string;
                                        badge?: string;
                                        intent?: {
                                            type: string;
                                            title?: string;
                                            message?: string;
                                            payload?: unknown;
                                        };
                                    }[];
                                    /** @description This extension’s progress-based requirements */
                                    unlockRequirements: {
                                        metric: string;
                                        requiredCount: number;
                                        blocker: string;
                                        /** @description All-time trusted progress for the metric */
                                        count: number;
                                        satisfied: boolean;
                                    }[];
                                    /** @description Every blocker of every enabled extension on the lock */
                                    aggregatedUnlockBlockers: {
                                        /**
                                         * @description 24-hex id
                                         * @example 6740f0a1c2d3e4f5a6b7c8d9
                                         */
                                        sessionId: string;
                                        extensionSlug: string;
                                        extensionName: string;
                                        kind: "manual" | "requirement";
                                        blocker: string;
                                        metric?: string;
                                        count?: number;
                                        requiredCount?: number;
                                    }[];
                                    /** @description true while any extension blocks unlocking */
                                    unlockBlocked: boolean;
                                };
                                lock: {
                                    /**
                                     * @description 24-hex id
                                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                                     */
                                    _id: string;
                                    title: string;
                                    status: "locked" | "unlocked" | "deserted";
                                    /** Format: date-time */
                                    startDate: string;
                                    endDate: string | null;
                                    endsAt: string | null;
                                    frozenAt: string | null;
                                    hiddenTimer: boolean;
                                    /**
                                     * @description 24-hex id
                                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                                     */
                                    wearerId: string;
                                    keyholderId: string | null;
                                };
                                lockData: {
                                    frozen: boolean;
                                    unlockable: boolean;
                                    /** @description The keyholder trusts external programs with wearer-favouring actions */
                                    trusted: boolean;
                                    taskAssigned: boolean;
                                    timeLockedSeconds: number;
                                    timeRemainingSeconds: number | null;
                                    maxTimeRemainingSeconds: number | null;
                                    taskPoints: number;
                                    taskPointsRequired: number;
                                    lockTitle: string;
                                    wearerUsername: string;
                                    wearerDisplayName: string | null;
                                    wearerAvatarUrl: string | null;
                                    keyholderUsername: string | null;
                                    keyholderDisplayName: string | null;
                                    keyholderAvatarUrl: string | null;
                                    wearerLastSeenTimestamp: number | null;
                                    keyholderLastSeenTimestamp: number | null;
                                    locked: boolean;
                                    inPillory: boolean;
                                    hygienicOpening: boolean;
                                    /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                    unlockBlockedReasons: string[];
                                };
                                regularActions: unknown | null;
                                deviceControl: {
                                    /** @description At least one attached device can be reached now */
                                    available: boolean;
                                    supportedCommands: string[];
                                    active: {
                                        shocking: boolean;
                                        vibrating: boolean;
                                        random: boolean;
                                        berserk: boolean;
                                    };
                                };
                                capabilities: {
                                    scopes: string[];
                                    /** @description These credentials may call this session’s mutation routes */
                                    backendMutations: boolean;
                                    /** @description The lock granted this app background access: the app key alone may call this session’s routes (latch, DECISIONS §10) */
                                    background: boolean;
                                    bridgeReadActions: string[];
                                };
                                /** Format: date-time */
                                startDate: string;
                                /** Format: date-time */
                                createdAt: string;
                                /** Format: date-time */
                                updatedAt: string;
                            } & {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                paginationId: string;
                            })[];
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session: config, metadata, lock and lockData (bridge: session.get); a Chaster app gets `{session}` */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Chastify app | Chaster app */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            role: ("wearer" | "keyholder") | null;
                            status: "locked" | "unlocked" | "deserted" | "removed";
                            extension: {
                                slug: string;
                                name: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                appId: string;
                            };
                            config: unknown;
                            metadata: {
                                /** @description This extension’s manual blockers */
                                unlockBlockers: string[];
                                homeActions: {
                                    slug: string;
                                    title: string;
                                    description?: string;
                                    icon?: string;
                                    badge?: string;
                                    intent?: {
                                        type: string;
                                        title?: string;
                                        message?: string;
                                        payload?: unknown;
                                    };
                                }[];
                                /** @description This extension’s progress-based requirements */
                                unlockRequirements: {
                                    metric: string;
                                    requiredCount: number;
                                    blocker: string;
                                    /** @description All-time trusted progress for the metric */
                                    count: number;
                                    satisfied: boolean;
                                }[];
                                /** @description Every blocker of every enabled extension on the lock */
                                aggregatedUnlockBlockers: {
                                    /**
                                     * @description 24-hex id
                                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                                     */
                                    sessionId: string;
                                    extensionSlug: string;
                                    extensionName: string;
                                    kind: "manual" | "requirement";
                                    blocker: string;
                                    metric?: string;
                                    count?: number;
                                    requiredCount?: number;
                                }[];
                                /** @description true while any extension blocks unlocking */
                                unlockBlocked: boolean;
                            };
                            lock: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                _id: string;
                                title: string;
                                status: "locked" | "unlocked" | "deserted";
                                /** Format: date-time */
                                startDate: string;
                                endDate: string | null;
                                endsAt: string | null;
                                frozenAt: string | null;
                                hiddenTimer: boolean;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                wearerId: string;
                                keyholderId: string | null;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                            regularActions: unknown | null;
                            deviceControl: {
                                /** @description At least one attached device can be reached now */
                                available: boolean;
                                supportedCommands: string[];
                                active: {
                                    shocking: boolean;
                                    vibrating: boolean;
                                    random: boolean;
                                    berserk: boolean;
                                };
                            };
                            capabilities: {
                                scopes: string[];
                                /** @description These credentials may call this session’s mutation routes */
                                backendMutations: boolean;
                                /** @description The lock granted this app background access: the app key alone may call this session’s routes (latch, DECISIONS §10) */
                                background: boolean;
                                bridgeReadActions: string[];
                            };
                            /** Format: date-time */
                            startDate: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Extension state (bridge: state.get); `ETag` for conditional writes */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        /**
         * Replace the state (platform-managed keys are kept)
         * @description ≤ 64 KiB serialized; keys may not start with `$` or contain `.`; `data.attemptLimits` is platform-managed. Honours `If-Match`.
         */
        put: {
            parameters: {
                query?: never;
                header?: {
                    "if-match"?: string;
                };
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /**
                 * @description `invalid_state_key`: A state key starts with `$` or contains `.`.
                 *
                 *     `reserved_key`: The write touches a platform-managed key.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `precondition_failed`: `If-Match` does not match the current ETag. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `state_too_large`: Serialized state would exceed 64 KiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Merge-patch the state (RFC 7386: null deletes, arrays replace)
         * @description ≤ 64 KiB serialized; keys may not start with `$` or contain `.`; `data.attemptLimits` is platform-managed. Honours `If-Match`.
         */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    "if-match"?: string;
                };
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /**
                 * @description `invalid_state_key`: A state key starts with `$` or contains `.`.
                 *
                 *     `reserved_key`: The write touches a platform-managed key.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `precondition_failed`: `If-Match` does not match the current ETag. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `state_too_large`: Serialized state would exceed 64 KiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Unlock blockers, requirements and home actions (bridge: metadata.get) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description This extension’s manual blockers */
                            unlockBlockers: string[];
                            homeActions: {
                                slug: string;
                                title: string;
                                description?: string;
                                icon?: string;
                                badge?: string;
                                intent?: {
                                    type: string;
                                    title?: string;
                                    message?: string;
                                    payload?: unknown;
                                };
                            }[];
                            /** @description This extension’s progress-based requirements */
                            unlockRequirements: {
                                metric: string;
                                requiredCount: number;
                                blocker: string;
                                /** @description All-time trusted progress for the metric */
                                count: number;
                                satisfied: boolean;
                            }[];
                            /** @description Every blocker of every enabled extension on the lock */
                            aggregatedUnlockBlockers: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                extensionSlug: string;
                                extensionName: string;
                                kind: "manual" | "requirement";
                                blocker: string;
                                metric?: string;
                                count?: number;
                                requiredCount?: number;
                            }[];
                            /** @description true while any extension blocks unlocking */
                            unlockBlocked: boolean;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /**
         * Replace this extension’s unlockBlockers and/or homeActions
         * @description Only the arrays named are replaced; other extensions’ blockers are untouched. ≤ 25 blockers (1–200 chars), ≤ 10 home actions with unique slugs.
         */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        unlockBlockers?: string[];
                        homeActions?: {
                            slug: string;
                            title: string;
                            description?: string;
                            icon?: string;
                            badge?: string;
                            intent?: {
                                type: string;
                                title?: string;
                                message?: string;
                                payload?: unknown;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description This extension’s manual blockers */
                            unlockBlockers: string[];
                            homeActions: {
                                slug: string;
                                title: string;
                                description?: string;
                                icon?: string;
                                badge?: string;
                                intent?: {
                                    type: string;
                                    title?: string;
                                    message?: string;
                                    payload?: unknown;
                                };
                            }[];
                            /** @description This extension’s progress-based requirements */
                            unlockRequirements: {
                                metric: string;
                                requiredCount: number;
                                blocker: string;
                                /** @description All-time trusted progress for the metric */
                                count: number;
                                satisfied: boolean;
                            }[];
                            /** @description Every blocker of every enabled extension on the lock */
                            aggregatedUnlockBlockers: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                extensionSlug: string;
                                extensionName: string;
                                kind: "manual" | "requirement";
                                blocker: string;
                                metric?: string;
                                count?: number;
                                requiredCount?: number;
                            }[];
                            /** @description true while any extension blocks unlocking */
                            unlockBlocked: boolean;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/logs/custom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write a custom entry to the lock history (a Chaster app: `role` may be `user`, `%USER%` in the title, 201 without a body) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        description?: string;
                        icon?: string;
                        color?: string;
                        role?: "extension" | "wearer" | "keyholder";
                    };
                };
            };
            responses: {
                /** @description Chastify app | Chaster app */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            id: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            type: string;
                            role: string;
                            extensionSlug: string;
                            title: string;
                            description: string;
                            icon: string | null;
                            color: string | null;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/notifications/custom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Notify the wearer, the keyholder or both (type `extension_app_message`) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        /** @default  */
                        message?: string;
                        /** @default false */
                        showPageOverlay?: boolean;
                        /** @default wearer */
                        target?: "wearer" | "keyholder" | "both";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {string} */
                            type: "extension_app_message";
                            target: string;
                            notifications: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                userId: string;
                            }[];
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/action": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a lock action (add_time, freeze, pillory, task.*, hygienic_unlock.start, …); a Chaster app sends {action:{name, params}}
         * @description `name` is one of `add_time`, `remove_time`, `freeze`, `pillory`, `unfreeze`, `toggle_freeze`, `settings.patch`, `task.assign`, `task.start_timer`, `task.complete`, `hygienic_unlock.start`, `pillory.end`. Parameters as in spec 000/002 and DECISIONS §5.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        params?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /** @description No body (Chaster answers 201 without one) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/tasks/assign": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Assign a task (Chaster): replaces an open one */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        task: {
                            task: string;
                            points: number;
                            verificationRequired?: boolean;
                            /** @description 0 (no timer) or 60–86400 seconds */
                            duration?: number;
                        };
                        actor?: "wearer" | "keyholder" | "extension";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /** @description No body (Chaster app) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/tasks/start-timer": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start the timer of the open timed task (Chaster) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        actor?: "wearer" | "keyholder" | "extension";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /** @description No body (Chaster app) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/tasks/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Complete or fail the open task (Chaster) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        isCompleted: boolean;
                        actor?: "wearer" | "keyholder" | "extension";
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /** @description No body (Chaster app) */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content?: never;
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/device-command": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a device command (bridge name: device.command)
         * @description `command`: `shock.start`, `shock.stop`, `vibration.start`, `vibration.stop`, `all.stop`, `shock.random.set`, `shock.berserk.set` (the last two on Lockink devices only). durationSeconds is clamped to 1–300, intensityPct and frequencyPct to 1–100; the response reports the applied values and which were clamped. Timed commands end by themselves; `all.stop` always succeeds.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description `shock.start`, `shock.stop`, `vibration.start`, `vibration.stop`, `all.stop`, `shock.random.set`, `shock.berserk.set` */
                        command: string;
                        /** @description Per command (spec 002); numbers are clamped, not refused */
                        params?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            command: string;
                            applied: {
                                durationSeconds?: number;
                                intensityPct?: number;
                                frequencyPct?: number | null;
                                enabled?: boolean;
                                minIntensityPct?: number;
                                maxIntensityPct?: number;
                                message?: string | null;
                            };
                            /** @description Parameters whose value was clamped or rounded into range */
                            clamped: string[];
                            endsAt: string | null;
                            devices: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                kind: string;
                                model: string;
                                name: string;
                            }[];
                            active: {
                                shocking: boolean;
                                vibrating: boolean;
                                random: boolean;
                                berserk: boolean;
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `device_not_available`: No device is attached to this lock, or the attached device cannot be reached.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unsupported_command`: The device command is unknown or not supported by the attached device.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/regular-actions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Regular-action availability and recent actions (bridge: regularActions.get); a Chaster app gets chaster-js `GetRegularActionsRepDto` */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Chastify app | Chaster app */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mode: "unlimited" | "non_cumulative" | "cumulative";
                            /** @description Seconds per window / per new action */
                            regularity: number | null;
                            regularitySeconds: number | null;
                            maxActions: number | null;
                            /** @description -1 when unlimited */
                            nbActionsRemaining: number;
                            nextActionDate: string | null;
                            actions: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                payload: unknown;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Submit a trusted regular action
         * @description 422 `regular_action_unavailable` (with `details.nbActionsRemaining` and `details.nextActionDate`) when none is available. A Chaster app gets 201 with the GET object, and the 422 carries the docs’ message with `nbActionsRemaining`, `nextActionDate`, `regularity` and `mode` at top level.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description ≤ 16 KiB of JSON */
                        payload?: unknown;
                    };
                };
            };
            responses: {
                /** @description Chastify app | Chaster app */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            action: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                payload: unknown;
                                /** Format: date-time */
                                createdAt: string;
                            };
                            nbActionsRemaining: number;
                            nextActionDate: string | null;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 *
                 *     `forbidden`: The signed-in user may not do this.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `payload_too_large`: The request body is larger than the documented cap. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `regular_action_unavailable`: No regular action is available now; see `nbActionsRemaining` and `nextActionDate`.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"] | components["schemas"]["ChasterErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/regular-actions/config": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Change the regular-action rule of this session */
        patch: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        mode: "unlimited" | "non_cumulative" | "cumulative";
                        regularitySeconds?: number;
                        maxActions?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            mode: "unlimited" | "non_cumulative" | "cumulative";
                            /** @description Seconds per window / per new action */
                            regularity: number | null;
                            regularitySeconds: number | null;
                            maxActions: number | null;
                            /** @description -1 when unlimited */
                            nbActionsRemaining: number;
                            nextActionDate: string | null;
                            actions: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                payload: unknown;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/attempts/start": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Start a timed attempt (the same attemptId again is idempotent) */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        metric: string;
                        attemptId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: boolean;
                            attempt: {
                                attemptId: string;
                                status: "active" | "failed" | "completed";
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                deadline: string;
                                endedAt: string | null;
                                automatic: boolean;
                            };
                        };
                    };
                };
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            created: boolean;
                            attempt: {
                                attemptId: string;
                                status: "active" | "failed" | "completed";
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                deadline: string;
                                endedAt: string | null;
                                automatic: boolean;
                            };
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `attempt_active`: Another attempt is running.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unknown_metric`: The metric is not configured for this session.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/attempts/fail-expired": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fail the attempt if its deadline has passed
         * @description `{failed: true}` past the deadline, else `{failed: false, remainingSeconds}`.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        metric: string;
                        attemptId: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            failed: boolean;
                            remainingSeconds?: number;
                            attempt: {
                                attemptId: string;
                                status: "active" | "failed" | "completed";
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                deadline: string;
                                endedAt: string | null;
                                automatic: boolean;
                            };
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `not_found`: No such route or resource (or it is not visible to the caller).
                 *
                 *     `attempt_not_found`: No such attempt.
                 */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unknown_metric`: The metric is not configured for this session.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/attempts/fail": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Fail the running attempt now: your backend verified a loss (latch)
         * @description Not in the Chastify API (spec 001 has start and fail-expired). Ends the attempt as failed at once, with a history entry carrying `reason`; the same attemptId again answers the same; a completed attempt is 409 `conflict`. With `startPolicy: availability` the next attempt starts when an action is available.
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        metric: string;
                        attemptId: string;
                        /** @description Shown in the lock history */
                        reason?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            failed: true;
                            attempt: {
                                attemptId: string;
                                status: "active" | "failed" | "completed";
                                /** Format: date-time */
                                startedAt: string;
                                /** Format: date-time */
                                deadline: string;
                                endedAt: string | null;
                                automatic: boolean;
                            };
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `not_found`: No such route or resource (or it is not visible to the caller).
                 *
                 *     `attempt_not_found`: No such attempt.
                 */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unknown_metric`: The metric is not configured for this session.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/requirements/progress": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Record trusted progress for a metric */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        metric: string;
                        /** @default 1 */
                        amount?: number;
                        /** Format: date-time */
                        occurredAt?: string;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            metric: string;
                            amount: number;
                            /** Format: date-time */
                            occurredAt: string;
                            total: number;
                            unlockRequirement: {
                                metric: string;
                                requiredCount: number;
                                blocker: string;
                                /** @description All-time trusted progress for the metric */
                                count: number;
                                satisfied: boolean;
                            } | null;
                            window: {
                                /** Format: date-time */
                                start: string;
                                /** Format: date-time */
                                end: string;
                                count: number;
                                requiredCount: number;
                                satisfied: boolean;
                            } | null;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `window_closed`: Progress falls into a window that was already evaluated.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unknown_metric`: The metric is not configured for this session.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/requirements": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Required-progress rule, the current window and evaluated windows */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": null | {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session of your active lock (as the wearer sees it), with lockData and lock._id */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            role: ("wearer" | "keyholder") | null;
                            status: "locked" | "unlocked" | "deserted" | "removed";
                            extension: {
                                slug: string;
                                name: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                appId: string;
                            };
                            config: unknown;
                            metadata: {
                                /** @description This extension’s manual blockers */
                                unlockBlockers: string[];
                                homeActions: {
                                    slug: string;
                                    title: string;
                                    description?: string;
                                    icon?: string;
                                    badge?: string;
                                    intent?: {
                                        type: string;
                                        title?: string;
                                        message?: string;
                                        payload?: unknown;
                                    };
                                }[];
                                /** @description This extension’s progress-based requirements */
                                unlockRequirements: {
                                    metric: string;
                                    requiredCount: number;
                                    blocker: string;
                                    /** @description All-time trusted progress for the metric */
                                    count: number;
                                    satisfied: boolean;
                                }[];
                                /** @description Every blocker of every enabled extension on the lock */
                                aggregatedUnlockBlockers: {
                                    /**
                                     * @description 24-hex id
                                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                                     */
                                    sessionId: string;
                                    extensionSlug: string;
                                    extensionName: string;
                                    kind: "manual" | "requirement";
                                    blocker: string;
                                    metric?: string;
                                    count?: number;
                                    requiredCount?: number;
                                }[];
                                /** @description true while any extension blocks unlocking */
                                unlockBlocked: boolean;
                            };
                            lock: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                _id: string;
                                title: string;
                                status: "locked" | "unlocked" | "deserted";
                                /** Format: date-time */
                                startDate: string;
                                endDate: string | null;
                                endsAt: string | null;
                                frozenAt: string | null;
                                hiddenTimer: boolean;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                wearerId: string;
                                keyholderId: string | null;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                            regularActions: unknown | null;
                            deviceControl: {
                                /** @description At least one attached device can be reached now */
                                available: boolean;
                                supportedCommands: string[];
                                active: {
                                    shocking: boolean;
                                    vibrating: boolean;
                                    random: boolean;
                                    berserk: boolean;
                                };
                            };
                            capabilities: {
                                scopes: string[];
                                /** @description These credentials may call this session’s mutation routes */
                                backendMutations: boolean;
                                /** @description The lock granted this app background access: the app key alone may call this session’s routes (latch, DECISIONS §10) */
                                background: boolean;
                                bridgeReadActions: string[];
                            };
                            /** Format: date-time */
                            startDate: string;
                            /** Format: date-time */
                            createdAt: string;
                            /** Format: date-time */
                            updatedAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `no_active_lock_session`: The key owner has no (such) active lock. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your scripts’ state on the lock */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `no_active_lock_session`: The key owner has no (such) active lock. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        /** Replace the state */
        put: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                    "if-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /**
                 * @description `invalid_state_key`: A state key starts with `$` or contains `.`.
                 *
                 *     `reserved_key`: The write touches a platform-managed key.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `precondition_failed`: `If-Match` does not match the current ETag. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `state_too_large`: Serialized state would exceed 64 KiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Merge-patch the state (RFC 7386) */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                    "if-match"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        data: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            data: {
                                [key: string]: unknown;
                            };
                            version: number;
                        };
                    };
                };
                /**
                 * @description `invalid_state_key`: A state key starts with `$` or contains `.`.
                 *
                 *     `reserved_key`: The write touches a platform-managed key.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `precondition_failed`: `If-Match` does not match the current ETag. */
                412: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `state_too_large`: Serialized state would exceed 64 KiB. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/v1/metadata": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Your scripts’ blockers and home actions, and every blocker on the lock */
        get: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description This extension’s manual blockers */
                            unlockBlockers: string[];
                            homeActions: {
                                slug: string;
                                title: string;
                                description?: string;
                                icon?: string;
                                badge?: string;
                                intent?: {
                                    type: string;
                                    title?: string;
                                    message?: string;
                                    payload?: unknown;
                                };
                            }[];
                            /** @description This extension’s progress-based requirements */
                            unlockRequirements: {
                                metric: string;
                                requiredCount: number;
                                blocker: string;
                                /** @description All-time trusted progress for the metric */
                                count: number;
                                satisfied: boolean;
                            }[];
                            /** @description Every blocker of every enabled extension on the lock */
                            aggregatedUnlockBlockers: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                extensionSlug: string;
                                extensionName: string;
                                kind: "manual" | "requirement";
                                blocker: string;
                                metric?: string;
                                count?: number;
                                requiredCount?: number;
                            }[];
                            /** @description true while any extension blocks unlocking */
                            unlockBlocked: boolean;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `no_active_lock_session`: The key owner has no (such) active lock. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        /** Set your scripts’ unlock blockers and home actions */
        patch: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        unlockBlockers?: string[];
                        homeActions?: {
                            slug: string;
                            title: string;
                            description?: string;
                            icon?: string;
                            badge?: string;
                            intent?: {
                                type: string;
                                title?: string;
                                message?: string;
                                payload?: unknown;
                            };
                        }[];
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @description This extension’s manual blockers */
                            unlockBlockers: string[];
                            homeActions: {
                                slug: string;
                                title: string;
                                description?: string;
                                icon?: string;
                                badge?: string;
                                intent?: {
                                    type: string;
                                    title?: string;
                                    message?: string;
                                    payload?: unknown;
                                };
                            }[];
                            /** @description This extension’s progress-based requirements */
                            unlockRequirements: {
                                metric: string;
                                requiredCount: number;
                                blocker: string;
                                /** @description All-time trusted progress for the metric */
                                count: number;
                                satisfied: boolean;
                            }[];
                            /** @description Every blocker of every enabled extension on the lock */
                            aggregatedUnlockBlockers: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                extensionSlug: string;
                                extensionName: string;
                                kind: "manual" | "requirement";
                                blocker: string;
                                metric?: string;
                                count?: number;
                                requiredCount?: number;
                            }[];
                            /** @description true while any extension blocks unlocking */
                            unlockBlocked: boolean;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        trace?: never;
    };
    "/api/apps/v1/action": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Run a lock action as the wearer
         * @description `name`: `add_time`, `remove_time`, `freeze`, `pillory`, `unfreeze`, `toggle_freeze`, `settings.patch`, `task.assign`, `task.start_timer`, `task.complete`, `hygienic_unlock.start`, `pillory.end`. Wearer-favouring actions on a keyholder lock need the keyholder's "trust external programs".
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        name: string;
                        params?: unknown;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `lock_ended`: The lock is no longer active.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 *
                 *     `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/lock/apply-time": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Add (positive) or remove (negative) time */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        deltaSeconds: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `lock_ended`: The lock is no longer active.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 *
                 *     `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/lock/freeze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Freeze (default 3600 s, 60–86400) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        durationSeconds?: number;
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `lock_ended`: The lock is no longer active.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 *
                 *     `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/lock/unfreeze": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Unfreeze (idempotent) */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": Record<string, never>;
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            action: string;
                            /** @description false when the lock was already in that state (e.g. unfreeze of an unfrozen lock) */
                            changed: boolean;
                            detail: {
                                [key: string]: unknown;
                            };
                            lockData: {
                                frozen: boolean;
                                unlockable: boolean;
                                /** @description The keyholder trusts external programs with wearer-favouring actions */
                                trusted: boolean;
                                taskAssigned: boolean;
                                timeLockedSeconds: number;
                                timeRemainingSeconds: number | null;
                                maxTimeRemainingSeconds: number | null;
                                taskPoints: number;
                                taskPointsRequired: number;
                                lockTitle: string;
                                wearerUsername: string;
                                wearerDisplayName: string | null;
                                wearerAvatarUrl: string | null;
                                keyholderUsername: string | null;
                                keyholderDisplayName: string | null;
                                keyholderAvatarUrl: string | null;
                                wearerLastSeenTimestamp: number | null;
                                keyholderLastSeenTimestamp: number | null;
                                locked: boolean;
                                inPillory: boolean;
                                hygienicOpening: boolean;
                                /** @description Why the lock cannot be unlocked now (empty when unlockable) */
                                unlockBlockedReasons: string[];
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `unknown_action`: The action name is not one the API supports.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`.
                 *
                 *     `role_not_allowed`: The launch role may not perform this action.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `lock_ended`: The lock is no longer active.
                 *
                 *     `pillory_active`: The wearer is already in the pillory.
                 *
                 *     `pillory_not_active`: The wearer is not in the pillory.
                 *
                 *     `no_active_task`: There is no open task.
                 *
                 *     `task_has_no_duration`: The open task has no timer.
                 *
                 *     `task_verification_required`: The task needs proof before it can be completed.
                 *
                 *     `task_timer_not_finished`: The task timer has not run out.
                 *
                 *     `hygienic_opening_active`: A hygienic opening is already running.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `pillory_not_enabled`: Pillory is not enabled on this lock.
                 *
                 *     `tasks_not_enabled`: Tasks are not enabled on this lock.
                 *
                 *     `hygienic_opening_not_enabled`: Hygienic opening is not enabled on this lock.
                 *
                 *     `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/logs/custom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Write a custom entry to the lock history */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        description?: string;
                        icon?: string;
                        color?: string;
                        role?: "extension" | "wearer" | "keyholder";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `no_active_lock_session`: The key owner has no (such) active lock. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/notifications/custom": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Notify the wearer, the keyholder or both */
        post: {
            parameters: {
                query?: never;
                header?: {
                    /** @description Act on this one of your active locks instead of the most recent */
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        title: string;
                        /** @default  */
                        message?: string;
                        /** @default false */
                        showPageOverlay?: boolean;
                        /** @default wearer */
                        target?: "wearer" | "keyholder" | "both";
                    };
                };
            };
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            [key: string]: unknown;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `no_active_lock_session`: The key owner has no (such) active lock. */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/apps/v1/device-command": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Send a device command to your active lock’s devices (same body and answer as the extension route)
         * @description `command`: `shock.start`, `shock.stop`, `vibration.start`, `vibration.stop`, `all.stop`, `shock.random.set`, `shock.berserk.set` (the last two on Lockink devices only). durationSeconds is clamped to 1–300, intensityPct and frequencyPct to 1–100; the response reports the applied values and which were clamped. Timed commands end by themselves; `all.stop` always succeeds.
         */
        post: {
            parameters: {
                query?: never;
                header?: {
                    "x-chastify-lock-id"?: string;
                };
                path?: never;
                cookie?: never;
            };
            requestBody: {
                content: {
                    "application/json": {
                        /** @description `shock.start`, `shock.stop`, `vibration.start`, `vibration.stop`, `all.stop`, `shock.random.set`, `shock.berserk.set` */
                        command: string;
                        /** @description Per command (spec 002); numbers are clamped, not refused */
                        params?: {
                            [key: string]: unknown;
                        };
                    };
                };
            };
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            command: string;
                            applied: {
                                durationSeconds?: number;
                                intensityPct?: number;
                                frequencyPct?: number | null;
                                enabled?: boolean;
                                minIntensityPct?: number;
                                maxIntensityPct?: number;
                                message?: string | null;
                            };
                            /** @description Parameters whose value was clamped or rounded into range */
                            clamped: string[];
                            endsAt: string | null;
                            devices: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                kind: string;
                                model: string;
                                name: string;
                            }[];
                            active: {
                                shocking: boolean;
                                vibrating: boolean;
                                random: boolean;
                                berserk: boolean;
                            };
                        };
                    };
                };
                /**
                 * @description `invalid_params`: An action received parameters it does not accept.
                 *
                 *     `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem.
                 */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `user_wide_dev_key_required`: An app-scoped key was used on `/api/apps/v1`. */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `no_active_lock_session`: The key owner has no (such) active lock.
                 *
                 *     `device_not_available`: No device is attached to this lock, or the attached device cannot be reached.
                 *
                 *     `lock_ended`: The lock is no longer active.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /**
                 * @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body.
                 *
                 *     `unsupported_command`: The device command is unknown or not supported by the attached device.
                 */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["AppsErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/files/capabilities": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** What files this session accepts, and what it holds (bridge: files.capabilities) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            enabled: boolean;
                            /** @description Decided from the bytes, never from the file name or the part’s Content-Type */
                            acceptedContentTypes: string[];
                            /** @description multipart/form-data field that carries the file */
                            uploadField: string;
                            maxFileBytes: number;
                            maxFilesPerSession: number;
                            maxSessionBytes: number;
                            /** @description How long a signed URL stays valid; refresh with files.get */
                            urlTtlSeconds: number;
                            usage: {
                                files: number;
                                bytes: number;
                            };
                            /** @description These credentials may upload and delete (backend credentials and the files:write scope) */
                            canUpload: boolean;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/files": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The session’s files, oldest first, each with a fresh signed URL (bridge: files.list) */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            files: {
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                id: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                fileId: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                sessionId: string;
                                /**
                                 * @description 24-hex id
                                 * @example 6740f0a1c2d3e4f5a6b7c8d9
                                 */
                                lockId: string;
                                /** @description A safe name: [A-Za-z0-9._-], with the extension of the sniffed type */
                                filename: string;
                                contentType: string;
                                /** @description bytes */
                                size: number;
                                sha256: string;
                                /** @description Signed URL for the bytes; expires at urlExpiresAt */
                                url: string;
                                /** Format: date-time */
                                urlExpiresAt: string;
                                /** Format: date-time */
                                createdAt: string;
                            }[];
                            count: number;
                            totalBytes: number;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        /**
         * Upload an image (multipart/form-data, field "file")
         * @description image/png, image/jpeg, image/webp, image/gif, decided from the bytes (a `.png` that is really HTML is 415). ≤ 10485760 bytes each (413 as soon as the stream passes it), ≤ 100 files and 104857600 bytes per session (409 `quota_exceeded`). The body is streamed to storage, never held in memory. With `Idempotency-Key`, a retry with the same key replays the first answer (the file bytes are not compared).
         */
        post: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                201: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            id: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            fileId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            /** @description A safe name: [A-Za-z0-9._-], with the extension of the sniffed type */
                            filename: string;
                            contentType: string;
                            /** @description bytes */
                            size: number;
                            sha256: string;
                            /** @description Signed URL for the bytes; expires at urlExpiresAt */
                            url: string;
                            /** Format: date-time */
                            urlExpiresAt: string;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 *
                 *     `quota_exceeded`: The session already holds the most files or bytes it may (100 files, 100 MiB); delete some first.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `payload_too_large`: The request body is larger than the documented cap. */
                413: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `unsupported_media_type`: The body has a content type this route does not accept. */
                415: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/extensions/sessions/{sessionId}/files/{fileId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * One file with a fresh signed URL (bridge: files.get {fileId})
         * @description Signed URLs expire after 600 s: keep the file id (e.g. in state) and ask again for a fresh URL.
         */
        get: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    fileId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            id: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            fileId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            sessionId: string;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            lockId: string;
                            /** @description A safe name: [A-Za-z0-9._-], with the extension of the sniffed type */
                            filename: string;
                            contentType: string;
                            /** @description bytes */
                            size: number;
                            sha256: string;
                            /** @description Signed URL for the bytes; expires at urlExpiresAt */
                            url: string;
                            /** Format: date-time */
                            urlExpiresAt: string;
                            /** Format: date-time */
                            createdAt: string;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        put?: never;
        post?: never;
        /** Delete a file: its row and its bytes */
        delete: {
            parameters: {
                query?: never;
                header?: never;
                path: {
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    sessionId: string;
                    /**
                     * @description 24-hex id
                     * @example 6740f0a1c2d3e4f5a6b7c8d9
                     */
                    fileId: string;
                };
                cookie?: never;
            };
            requestBody?: never;
            responses: {
                /** @description Default Response */
                200: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": {
                            /** @enum {boolean} */
                            ok: true;
                            /**
                             * @description 24-hex id
                             * @example 6740f0a1c2d3e4f5a6b7c8d9
                             */
                            fileId: string;
                            /** @enum {boolean} */
                            deleted: true;
                        };
                    };
                };
                /** @description `invalid_request`: The request is malformed or fails schema validation; `details` lists each problem. */
                400: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `missing_credentials`: `Authorization: Bearer …` is missing or malformed.
                 *
                 *     `invalid_credentials`: The developer key is unknown or revoked.
                 *
                 *     `main_token_required`: `x-chastify-main-token` is missing.
                 *
                 *     `invalid_main_token`: The main token is unknown.
                 *
                 *     `main_token_expired`: The main token is past its 10 h lifetime or was rotated.
                 */
                401: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `app_scoped_key_required`: A user-wide key was used on an extension session route.
                 *
                 *     `session_mismatch`: The main token belongs to another session or app.
                 *
                 *     `extension_not_enabled`: The extension is disabled or removed on this lock.
                 *
                 *     `server_credentials_required`: Mutations need backend credentials (app key + main token).
                 *
                 *     `insufficient_scope`: The app lacks the scope this route needs.
                 */
                403: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `not_found`: No such route or resource (or it is not visible to the caller). */
                404: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /**
                 * @description `lock_ended`: The lock is no longer active.
                 *
                 *     `conflict`: The resource is not in a state that allows this change.
                 */
                409: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `idempotency_key_reused`: The `Idempotency-Key` was used before with a different body. */
                422: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `rate_limited`: Too many requests for this credential and bucket; see `Retry-After`. */
                429: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
                /** @description `internal_error`: An unexpected error; report the `requestId`. */
                500: {
                    headers: {
                        [name: string]: unknown;
                    };
                    content: {
                        "application/json": components["schemas"]["ErrorBody"];
                    };
                };
            };
        };
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Error (first-party and /api/extensions) */
        ErrorBody: {
            error: {
                code: string;
                message: string;
            };
            /** @description Same as error.code */
            code: string;
            message: string;
            requestId: string;
            details?: unknown;
        } & {
            [key: string]: unknown;
        };
        /** @description Error (/api/apps/v1) */
        AppsErrorBody: {
            error: string;
            code: string;
            message: string;
            requestId: string;
            details?: unknown;
        } & {
            [key: string]: unknown;
        };
        /** @description Error (Chaster-dialect apps on /api/extensions) */
        ChasterErrorBody: {
            statusCode: number;
            /** @description The HTTP reason phrase, e.g. "Not Found" */
            error: string;
            message: string;
            code: string;
            requestId: string;
            details?: unknown;
        } & {
            [key: string]: unknown;
        };
    };
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export type operations = Record<string, never>;
