import { readFileSync } from 'node:fs';
import { join } from 'node:path';

const README = join(import.meta.dirname, '../../README.md');

/** The README's fenced code blocks of a language, in order, as a user copies them. */
export function readmeBlocks(language: string): string[] {
  const text = readFileSync(README, 'utf8');
  return [...text.matchAll(new RegExp(`^\`\`\`${language}\\n([^]*?)\\n\`\`\`$`, 'gm'))].map((match) => match[1] as string);
}

/** The README's ESLint config block: what users paste into eslint.config.js. */
export function readmeEslintConfig(): string {
  const blocks = readmeBlocks('js').filter((block) => block.startsWith('// eslint.config.js\n'));
  if (blocks.length !== 1) throw new Error(`README.md has ${blocks.length} eslint.config.js blocks, expected one`);
  return blocks[0] as string;
}
