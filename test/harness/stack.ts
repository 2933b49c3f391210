import * as lib from '../stack/stack.mjs';
import type { StackInfo } from '../stack/stack.mjs';

// Typed access to the offline stack launcher (plain JS in test/stack/).
export type { PushedImage, Stack, Stats } from '../stack/stack.mjs';

export async function stackLib(): Promise<typeof lib> {
  return lib;
}

// Inputs that point the action at the stack.
export function stackInputs(stack: StackInfo): Record<string, string> {
  return { 'fulcio-url': stack.fulcioURL, 'rekor-url': stack.rekorURL, 'trusted-root': stack.trustedRoot };
}
