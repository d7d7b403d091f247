import { describe, expect, it } from 'vitest';
import { describeWriteError } from '../src/cli/io.js';
import { describeFsError } from '../src/errors.js';

const fsError = (code: string, message = `${code}: something, open 'x'`) => Object.assign(new Error(message), { code });

describe('describeFsError', () => {
  it('says what a code means, with the code when asked, and falls back to the message', () => {
    expect(describeFsError(fsError('EACCES'))).toBe('permission denied');
    expect(describeFsError(fsError('ENOSPC'), true)).toBe('the disk is full (ENOSPC)');
    expect(describeFsError(fsError('EMFILE', "EMFILE: too many open files, open 'x'"))).toBe("EMFILE: too many open files, open 'x'");
    expect(describeFsError('not an error')).toBe('not an error');
  });

  it('reads a missing path on writing as a missing folder', () => {
    expect(describeWriteError(fsError('ENOENT'))).toBe('the folder does not exist or takes no files (ENOENT)');
    expect(describeWriteError(fsError('EFBIG'))).toBe('over the file size limit (EFBIG)');
  });
});
