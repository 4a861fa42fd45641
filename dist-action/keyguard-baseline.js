export { T as baselineScope, D as nextEntries, O as readBaseline, k as serializeBaseline } from "./keyguard-hook.js";
