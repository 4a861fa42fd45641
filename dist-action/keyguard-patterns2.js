export { t as keyMatcher, n as pathMatcher } from "./keyguard-patterns.js";
