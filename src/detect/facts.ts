/**
 * What the rules read, as sources give it: a piece of text from a file, and what a source knows
 * of a file beyond its text. Paths are relative to the current directory with `/` separators.
 */
export interface TextInput {
  path: string;
  text: string;
  /**
   * Git ignores the file and the scan was not asked to read ignored files: it was read only for
   * the rules that look into ignored files (`readsIgnored`), such as an ignored `.env.local`,
   * whose public variables a bundler still inlines. Rules about any key skip it.
   */
  ignored?: true;
}

/** Facts about one file. A fact the source cannot know is left out (undefined), never guessed. */
export interface FileFacts {
  path: string;
  /** In git's index: committed, or staged by the change being scanned. */
  tracked?: boolean;
  /** Git's ignore rules match it (outside a repository: the `.gitignore` files). */
  ignored?: boolean;
  /** The change being scanned adds it (a new file in the staged index). */
  added?: boolean;
  /** `npm pack` would publish it. */
  packed?: boolean;
}
