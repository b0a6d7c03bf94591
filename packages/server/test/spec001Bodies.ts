/** Request bodies of spec 001, verbatim (the tests send them as the spec prints them). */

export const SPEC_REGULAR_CONFIG = `{
"mode": "cumulative",
"regularitySeconds": 86400,
"maxActions": 4
}`;
export const SPEC_REGULAR_ACTION = `{
"payload": {
"kind": "checkin",
"score": 92
}
}`;
export const SPEC_REQUIREMENTS = `{
"extensionRequirements": {
"enabled": true,
"metric": "completion",
"requiredCount": 4,
"cadence": {
"every": 1,
"unit": "day",
"timezone": "UTC"
},
"punishment": {
"type": "add_time",
"seconds": 1800,
"reason": "Daily extension requirement missed"
}
}
}`;
export const SPEC_PROGRESS_COMPLETION = `{
"metric": "completion",
"amount": 1,
"occurredAt": "2026-05-31T18:42:41.715Z"
}`;
export const SPEC_PROGRESS_MEMORY = `{
"metric": "memory_win",
"amount": 1
}`;
export const SPEC_INITIAL_METADATA = `{
"initialMetadata": {
"unlockRequirements": [
{
"metric": "memory_win",
"requiredCount": 3,
"blocker": "Complete 3 memory challenge wins to unlock"
}
],
"homeActions": [
{
"slug": "play-memory-challenge",
"title": "Play memory challenge",
"description": "Complete the extension challenge to satisfy the unlock requirement.",
"icon": "gamepad-2",
"badge": "Required"
}
]
}
}`;
export const SPEC_ATTEMPT_LIMIT = `{
"attemptLimit": {
"enabled": true,
"metric": "memory_win",
"durationSeconds": 300,
"startPolicy": "activity"
}
}`;
export const SPEC_ATTEMPT_START = `{
"metric": "memory_win",
"attemptId": "memory-run-123"
}`;
export const SPEC_ATTEMPT_FAIL = `{
"metric": "memory_win",
"attemptId": "memory-run-123"
}`;
