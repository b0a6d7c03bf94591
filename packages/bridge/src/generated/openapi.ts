/**
 * GENERATED FILE: do not edit. Types of the API routes behind the bridge read actions, produced from the OpenAPI document
 * (GET /api/openapi.json) by openapi-typescript. Regenerate with:
 *
 *   npm run generate -w @latch/client
 *
 * A test (packages/client/test/generated.test.ts) fails when this file and the server drift apart.
 */

export interface paths {
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
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
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
        post?: never;
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
        post?: never;
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
        delete?: never;
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
