// The policy's environment on a Node host: the file-system view plus the lists each host keeps in its own
// way (the extension watches the workspace, policy-cli lists once on demand).
import * as os from 'node:os';
import type { PolicyEnvironment } from '../core/policy/policy';
import {
  caseInsensitiveFileSystem,
  entryOrUndefined,
  hostPlatform,
  readlinkOrUndefined,
  realpathOrUndefined,
} from './fileSystemView';
import { hardLinkedDeniedFile, type DeniedIdentities } from './hardLinks';

export interface DeniedFileLists {
  /** Existing denied files under the folders, or undefined while unknown. */
  deniedFiles(): readonly string[] | undefined;
  /** Denied files in git's index, or undefined while unknown. */
  trackedDeniedFiles(): readonly string[] | undefined;
  /** The denied files by (device, inode), or undefined while unknown. */
  deniedIdentities(): DeniedIdentities | undefined;
}

/** `workspaceFolders` are absolute and canonical (see `canonicalFolder`). */
export function nodePolicyEnvironment(workspaceFolders: readonly string[], lists: DeniedFileLists): PolicyEnvironment {
  return {
    workspaceFolders,
    homeDir: os.homedir(),
    caseInsensitive: caseInsensitiveFileSystem,
    platform: hostPlatform,
    realpath: realpathOrUndefined,
    readlink: readlinkOrUndefined,
    entry: entryOrUndefined,
    deniedFiles: () => lists.deniedFiles(),
    trackedDeniedFiles: () => lists.trackedDeniedFiles(),
    hardLinkedDeniedFile: (path) => hardLinkedDeniedFile(path, () => lists.deniedIdentities()),
  };
}
