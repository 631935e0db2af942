// Resource mount paths, as the cloud lays them out: every file is seen under
// /mnt/session/uploads/, at the path it was given (`/logs/api.log` → /mnt/session/uploads/logs/api.log).
import { badRequest } from './api-error.js';

export const UPLOADS_ROOT = '/mnt/session/uploads';

export function resolveMountPath(requested: string | undefined | null, fileId: string): string {
  if (requested === undefined || requested === null || requested === '') return `${UPLOADS_ROOT}/${fileId}`;
  const relative = requested.startsWith(`${UPLOADS_ROOT}/`) ? requested.slice(UPLOADS_ROOT.length + 1) : requested.replace(/^\/+/, '');
  const segments = relative.split('/').filter((segment) => segment !== '' && segment !== '.');
  if (segments.length === 0 || segments.some((segment) => segment === '..' || segment.includes('\0'))) {
    throw badRequest(`mount_path ${requested} must be a path inside ${UPLOADS_ROOT} with no '..'`);
  }
  return `${UPLOADS_ROOT}/${segments.join('/')}`;
}

/** The path below the uploads root: where the file sits in the session's mount directory. */
export function relativeMountPath(mountPath: string): string {
  return mountPath.slice(UPLOADS_ROOT.length + 1);
}
