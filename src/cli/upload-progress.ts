// Upload progress before the session opens: an ora spinner, on a TTY only.
import type { UploadProgress } from '../client/upload.js';
import type { CliIO } from './io.js';

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

export async function startUploadSpinner(io: CliIO): Promise<{
  update: (progress: UploadProgress) => void;
  succeed: (text: string) => void;
  fail: (text: string) => void;
}> {
  const { default: ora } = await import('ora');
  const spinner = ora({ text: 'reading the bundle…', stream: io.stderr }).start();
  return {
    update: (progress) => {
      // Files the runtime already holds are checked, not sent: said, so a fast upload is not a mystery.
      const reused = progress.reused > 0 ? `, ${progress.reused} already there` : '';
      spinner.text = `uploading ${progress.done}/${progress.total} files (${megabytes(progress.bytesDone)} of ${megabytes(progress.bytesTotal)}${reused}) ${progress.current}`;
    },
    succeed: (text) => spinner.succeed(text),
    fail: (text) => spinner.fail(text),
  };
}
