/** A file of the working tree, as the listing found it. */
export interface TreeFile {
  /** Relative to the current directory, with `/` separators: what reports show. */
  path: string;
  absolute: string;
  /** The work tree of the repository that lists the file; none outside a repository. */
  top?: string;
  /** Listed from git's index (rather than as untracked, or by a walk outside git). */
  tracked?: boolean;
  /** Git (or `.gitignore` outside a repository) ignores it and it is untracked: read only because it was named or `--no-ignore` asked. */
  ignored?: true;
}
