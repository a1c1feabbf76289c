/** The file (in the agent's state directory) listing the shared directories for the lease renewer. */
export const LEASE_TARGETS_FILE = 'lease-targets';

/** Where the agent lives on a host (enrollment over SSH and the Debian package install the same
 * layout), and the small scripts beside it. */
export const HOST_PATHS = {
  installDir: '/opt/kelpie-agent',
  configDir: '/etc/kelpie',
  stateDir: '/var/lib/kelpie-agent',
  env: '/etc/kelpie/agent.env',
  credentials: '/etc/kelpie/credentials.json',
  unit: '/etc/systemd/system/kelpie-agent.service',
  leaseRenewerUnit: '/etc/systemd/system/kelpie-lease-renewer.service',
  /** The only thing the engine's SSH key may run (its forced command): soft fencing. */
  softFence: '/opt/kelpie-agent/soft-fence.sh',
  /** The running agent's pid, kept by the supervisor (the soft fence kills a hung agent by it). */
  agentPid: '/var/lib/kelpie-agent/agent.pid',
  /** Renews this host's lease records on the shared storage domains, apart from the agent. */
  leaseRenewer: '/opt/kelpie-agent/lease-renewer.sh',
  /** The renewer's pid where the supervisor (not systemd) runs it. */
  leaseRenewerPid: '/var/lib/kelpie-agent/lease-renewer.pid',
  /** Turns libvirt's lock manager (virtlockd) on: run by enrollment (ADR 0053). */
  lockManager: '/opt/kelpie-agent/lock-manager.sh',
  /** Applies the host configuration of the agent's credentials (the Debian package, ADR 0060): runs
   * the lock manager script and keeps the engine's soft-fence line in root's authorized_keys. */
  hostConfig: '/opt/kelpie-agent/host-config.cjs',
  /** Written by the agent, read by the renewer: the host's id, then one shared directory a line. */
  leaseTargets: '/var/lib/kelpie-agent/lease-targets',
} as const;

/** Directory of the host lease records inside a shared storage domain's directory. */
export const HOST_LEASE_DIR = '.kelpie-host-leases';

/** agent.env's record of the authorized_keys file holding the engine's line (for uninstall). */
export const ENGINE_KEY_FILE_SETTING = 'KELPIE_ENGINE_AUTHORIZED_KEYS';

/** Comment ending the engine's line in root's authorized_keys: how install and uninstall find it. */
export const ENGINE_SSH_KEY_COMMENT = 'kelpie-engine-soft-fence';

/** The engine's line in root's authorized_keys: restricted (no shell, no forwarding, no pty) to the
 * soft-fence script, whatever command the client asks for. */
export const engineAuthorizedKeyLine = (publicKey: string) =>
  `restrict,command="${P.softFence}" ${publicKey} ${ENGINE_SSH_KEY_COMMENT}`;

const P = HOST_PATHS;

/** A lockspace a host may be told to use: an absolute path, nothing a shell or a libvirt config value
 * would read differently (no quote, backslash, newline, NUL), no `..`; or `direct`. */
export const LOCKSPACE_PATTERN = /^(direct|(?!.*\/\.\.(\/|$))\/[^\n\r\0"'\\]*)$/;

/** The engine's authorized_keys line exactly as engineAuthorizedKeyLine builds it: nothing else (no
 * other options, no other command) is ever written to root's authorized_keys from the credentials. */
export const ENGINE_KEY_LINE_PATTERN = new RegExp(
  `^restrict,command="${P.softFence.replace(/\./g, '\\.')}" (ssh-ed25519|ssh-rsa|ecdsa-sha2-nistp(256|384|521)) [A-Za-z0-9+/]+={0,3} ${ENGINE_SSH_KEY_COMMENT}$`,
);

/** KEY='value' lines: read by systemd's EnvironmentFile and by the supervisor's `.` alike. */
export function envFile(values: Record<string, string>): string {
  return Object.entries(values)
    .map(([k, v]) => {
      if (/['\n\0]/.test(v)) throw new Error(`${k} cannot be written to ${P.env}: ${JSON.stringify(v)}`);
      return `${k}='${v}'`;
    })
    .join('\n')
    .concat('\n');
}

export const SYSTEMD_UNIT = `[Unit]
Description=Kelpie agent (manages this host's VMs for the Kelpie engine)
After=network-online.target libvirtd.service
Wants=network-online.target

[Service]
EnvironmentFile=${P.env}
ExecStartPre=/bin/sh ${P.installDir}/supervisor.sh configure
ExecStart=/bin/sh ${P.installDir}/supervisor.sh exec
Restart=always
RestartSec=2
TimeoutStopSec=40

[Install]
WantedBy=multi-user.target
`;

/** The lease renewer's own unit: not part of the agent's, so it outlives a dead or hung agent. */
export const LEASE_RENEWER_UNIT = `[Unit]
Description=Kelpie host lease renewer (this host's lease records on the shared storage)
After=remote-fs.target

[Service]
ExecStart=/bin/sh ${P.leaseRenewer}
Restart=always
RestartSec=2

[Install]
WantedBy=multi-user.target
`;

/**
 * Runs the agent where systemd does not (e.g. the lab): \`start\` detaches a loop that restarts the
 * agent 2 s after it exits, and the lease renewer beside it (detached on its own, not a child of the
 * loop: it must outlive a dead or stopped agent, ADR 0037); \`stop\` ends the agent's loop (the agent
 * gets SIGTERM and shuts down gracefully) and leaves the renewer running; \`configure\` applies the
 * host configuration of the credentials (host-config.cjs; \`start\` runs it first and does not start an
 * agent it failed for, as the unit's ExecStartPre does); \`stop-renewer\` ends the
 * renewer (uninstall); \`exec\` runs the agent in the foreground (systemd's ExecStart; systemd runs the
 * renewer as a unit of its own).
 */
export const SUPERVISOR_SCRIPT = `#!/bin/sh
set -u
PIDFILE=${P.stateDir}/supervisor.pid
RENEWER_PIDFILE=${P.leaseRenewerPid}
LOG=${P.stateDir}/agent.log
load_env() { set -a; . ${P.env}; set +a; }
# The host configuration in the credentials (Debian package hosts, ADR 0060); nothing for enrolled ones.
configure() { ( [ -f ${P.env} ] && load_env; exec "\${KELPIE_NODE_BINARY:-node}" ${P.hostConfig} ); }
alive() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
renewer_alive() { [ -f "$RENEWER_PIDFILE" ] && kill -0 "$(cat "$RENEWER_PIDFILE")" 2>/dev/null; }
start_renewer() {
  [ -f ${P.leaseRenewer} ] || return 0
  renewer_alive && return 0
  setsid /bin/sh "$0" renew </dev/null >/dev/null 2>&1 &
  for _ in 1 2 3 4 5 6 7 8 9 10; do renewer_alive && return 0; sleep 0.2; done
  echo "the lease renewer did not start" >&2; return 1
}
case "\${1:-}" in
exec)
  load_env
  exec "\${KELPIE_NODE_BINARY:-node}" ${P.installDir}/lib/agent.js ;;
loop)
  echo $$ >"$PIDFILE"
  child=
  trap 'if [ -n "$child" ]; then kill -TERM "$child" 2>/dev/null; wait "$child"; fi; rm -f "$PIDFILE"; exit 0' TERM INT
  while :; do
    load_env
    "\${KELPIE_NODE_BINARY:-node}" ${P.installDir}/lib/agent.js >>"$LOG" 2>&1 &
    child=$!
    echo "$child" >${P.agentPid}
    wait "$child"
    child=
    rm -f ${P.agentPid}
    sleep 2
  done ;;
configure)
  configure ;;
renew)
  echo $$ >"$RENEWER_PIDFILE"
  exec /bin/sh ${P.leaseRenewer} ;;
start)
  start_renewer || exit 1
  alive && exit 0
  configure || { echo "the host configuration failed: the agent is not started" >&2; exit 1; }
  rm -f "$PIDFILE"
  setsid /bin/sh "$0" loop </dev/null >/dev/null 2>&1 &
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$PIDFILE" ] && exit 0; sleep 0.2; done
  echo "the agent supervisor did not start" >&2; exit 1 ;;
stop)
  alive || exit 0
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done ;;
stop-renewer)
  renewer_alive || exit 0
  kill -TERM "$(cat "$RENEWER_PIDFILE")"
  rm -f "$RENEWER_PIDFILE" ;;
*)
  echo "usage: $0 start|stop|stop-renewer|exec|configure" >&2; exit 2 ;;
esac
`;

/**
 * Soft fencing, the forced command of the engine's SSH key: the host stopped answering, so restart its
 * agent (killed first: a hung one ignores SIGTERM), then libvirtd if it does not answer either. Exit 0
 * when both run again; any other exit sends the engine on to hard fencing.
 */
export const SOFT_FENCE_SCRIPT = `#!/bin/sh
set -u
if [ -d /run/systemd/system ] && [ -f ${P.unit} ]; then
  systemctl kill --signal=SIGKILL kelpie-agent.service 2>/dev/null
  systemctl restart kelpie-agent.service || { echo "the agent did not restart"; exit 1; }
  echo "agent restarted (systemd)"
else
  if [ -f ${P.agentPid} ] && kill -KILL "$(cat ${P.agentPid})" 2>/dev/null; then echo "hung agent killed"; fi
  /bin/sh ${P.installDir}/supervisor.sh start || { echo "the agent supervisor did not start"; exit 1; }
  echo "agent restarted by its supervisor"
fi
if ! timeout 15 virsh -c qemu:///system version >/dev/null 2>&1; then
  if [ -d /run/systemd/system ] && systemctl restart libvirtd.service; then
    echo "libvirtd did not answer: restarted"
  else
    echo "libvirtd does not answer and could not be restarted"; exit 1
  fi
fi
`;

/** Removes the agent: run by the agent on \`agent.uninstall\` (detached), or by hand. */
export const UNINSTALL_SCRIPT = `#!/bin/sh
set -u
if [ -d /run/systemd/system ] && [ -f ${P.unit} ]; then
  # Out of the agent's own unit first: stopping the unit would otherwise stop this script too.
  if [ "\${1:-}" != "--outside" ] && command -v systemd-run >/dev/null; then
    exec systemd-run --quiet --collect --unit kelpie-agent-uninstall /bin/sh "$0" --outside
  fi
  systemctl disable --now kelpie-agent.service
  systemctl disable --now kelpie-lease-renewer.service 2>/dev/null
  rm -f ${P.unit} ${P.leaseRenewerUnit}
  systemctl daemon-reload
else
  /bin/sh ${P.installDir}/supervisor.sh stop
  /bin/sh ${P.installDir}/supervisor.sh stop-renewer
fi
keys=$(sed -n "s/^${ENGINE_KEY_FILE_SETTING}='\\(.*\\)'$/\\1/p" ${P.env} 2>/dev/null)
rm -rf ${P.installDir} ${P.configDir} ${P.stateDir}
if [ -n "$keys" ] && [ -f "$keys" ]; then sed -i '/ ${ENGINE_SSH_KEY_COMMENT}$/d' "$keys"; fi
`;

/**
 * The host lease renewer: every <interval> seconds, writes "<host id> <counter> <epoch ms>" to
 * <domain dir>/${HOST_LEASE_DIR}/<host id> on every directory the agent listed in <targets file>
 * (written aside, renamed into place). A separate process from the agent on purpose: a host whose agent
 * died but which still writes to the shared storage is alive, and other hosts see its records change.
 * A hung storage blocks the write, so the record stops changing: that is what the others must see.
 */
export const LEASE_RENEWER_SCRIPT = `#!/bin/sh
set -u
targets=\${1:-${P.leaseTargets}}
interval=\${2:-2}
n=0
while :; do
  n=$((n + 1))
  if [ -r "$targets" ]; then
    host=
    while IFS= read -r line; do
      if [ -z "$host" ]; then host=$line; continue; fi
      dir="$line/${HOST_LEASE_DIR}"
      mkdir -p "$dir" 2>/dev/null &&
        printf '%s %s %s\\n' "$host" "$n" "$(date +%s%3N)" >"$dir/$host.new" &&
        mv -f "$dir/$host.new" "$dir/$host"
    done <"$targets"
  fi
  sleep "$interval"
done
`;

/** Name of the lockspace directory enrollment makes inside a shared storage domain's directory. */
export const LOCKSPACE_DIR = '.kelpie-lockspace';

/**
 * Turns on libvirt's lock manager: \`lock-manager.sh <lockspace directory>|direct\`. qemu.conf gets
 * \`lock_manager = "lockd"\`, qemu-lockd.conf automatic disk leases in that lockspace (one lease file per
 * disk path, on the shared storage every host of the datacenter sees) or, with \`direct\`, on the disk
 * files themselves. virtlockd is started when it does not run; libvirtd is restarted only when a file
 * changed (its guests keep running): with systemd by its units, without it (e.g. the lab) by running
 * the same libvirtd command line again in this host's mount namespace. Prints what it did; exits
 * non-zero with the reason when libvirtd does not come back.
 */
export const LOCK_MANAGER_SCRIPT = `#!/bin/sh
set -u
space=\${1:?usage: lock-manager.sh <lockspace directory>|direct}
etc=\${KELPIE_LIBVIRT_ETC:-/etc/libvirt}
changed=
# set_keys FILE KEY=VALUE... : drops every active line of those keys, appends ours (written aside, renamed).
set_keys() {
  file=$1; shift
  pattern=
  for kv do pattern="\${pattern:+$pattern|}\${kv%%=*}"; done
  { [ -f "$file" ] && grep -v -E "^[[:space:]]*($pattern)[[:space:]]*=" "$file"
    for kv do printf '%s = %s\\n' "\${kv%%=*}" "\${kv#*=}"; done; } >"$file.kelpie-new"
  if [ -f "$file" ] && cmp -s "$file" "$file.kelpie-new"; then rm -f "$file.kelpie-new"; return; fi
  chmod 600 "$file.kelpie-new" && mv -f "$file.kelpie-new" "$file" && changed=1
}
# in_my_ns NAME : pid of a NAME process in this mount namespace (hosts may share a pid namespace).
in_my_ns() {
  mine=$(readlink /proc/self/ns/mnt)
  for d in /proc/[0-9]*; do
    [ "$(cat "$d/comm" 2>/dev/null)" = "$1" ] && [ "$(readlink "$d/ns/mnt" 2>/dev/null)" = "$mine" ] &&
      { echo "\${d#/proc/}"; return 0; }
  done
  return 1
}
if [ "$space" = direct ]; then
  set_keys "$etc/qemu-lockd.conf" auto_disk_leases=1 require_lease_for_disks=0
  if grep -q -E '^[[:space:]]*file_lockspace_dir[[:space:]]*=' "$etc/qemu-lockd.conf"; then
    grep -v -E '^[[:space:]]*file_lockspace_dir[[:space:]]*=' "$etc/qemu-lockd.conf" >"$etc/qemu-lockd.conf.kelpie-new"
    chmod 600 "$etc/qemu-lockd.conf.kelpie-new" && mv -f "$etc/qemu-lockd.conf.kelpie-new" "$etc/qemu-lockd.conf" && changed=1
  fi
  where="on the disk files themselves"
else
  # The shared directory must be there already: a lockspace made on the local disk protects nothing.
  [ -d "\${space%/*}" ] || { echo "the shared directory \${space%/*} is not on this host: mount it, then enroll again"; exit 1; }
  mkdir -p "$space" && chmod 700 "$space" || { echo "cannot make the lockspace $space"; exit 1; }
  set_keys "$etc/qemu-lockd.conf" auto_disk_leases=1 require_lease_for_disks=0 "file_lockspace_dir=\\"$space\\""
  where="in $space"
fi
set_keys "$etc/qemu.conf" 'lock_manager="lockd"'
systemd=; [ -d /run/systemd/system ] && systemd=1
if [ -n "$systemd" ]; then
  systemctl enable --now virtlockd.socket >/dev/null 2>&1 || systemctl start virtlockd >/dev/null 2>&1
elif ! in_my_ns virtlockd >/dev/null; then
  virtlockd -d </dev/null >/dev/null 2>&1 || { echo "virtlockd did not start"; exit 1; }
fi
if [ -n "$changed" ]; then
  if [ -n "$systemd" ]; then
    systemctl restart libvirtd.service || { echo "libvirtd did not restart"; exit 1; }
  elif pid=$(in_my_ns libvirtd); then
    argv=$(mktemp) && cp "/proc/$pid/cmdline" "$argv"
    kill -TERM "$pid"
    for _ in $(seq 1 100); do kill -0 "$pid" 2>/dev/null || break; sleep 0.2; done
    { cat "$argv"; grep -q -z -x -e -d -e --daemon "$argv" || printf -- '-d\\0'; } |
      xargs -0 sh -c 'exec "$@" </dev/null >/dev/null 2>&1' libvirtd
    rm -f "$argv"
  else
    echo "libvirtd is not running"; exit 1
  fi
  for _ in $(seq 1 120); do timeout 5 virsh -c qemu:///system uri >/dev/null 2>&1 && break; sleep 0.5; done
  timeout 5 virsh -c qemu:///system uri >/dev/null 2>&1 || { echo "libvirtd did not come back after the restart"; exit 1; }
  echo "lock manager lockd on, disk leases $where; virtlockd running, libvirtd restarted"
else
  echo "lock manager lockd already on, disk leases $where; virtlockd running"
fi
`;

/**
 * The host configuration step of an agent deployed by the admin (the Debian package, ADR 0060), run
 * with the host's Node (KELPIE_NODE_BINARY) by \`supervisor.sh configure\`: from postinst, from the
 * unit's ExecStartPre and from \`supervisor.sh start\`. Reads \`hostConfig\` from the credentials
 * (KELPIE_CREDENTIALS_FILE): none (an agent enrolled over SSH) is nothing to do. Otherwise, both values
 * checked first: root's authorized_keys (the file sshd reads, per \`sshd -T\`) gets exactly one engine
 * line (an older one replaced, the admin's lines kept; written aside and renamed), then
 * \`lock-manager.sh <lockspace>|direct\` runs (no shell: the path is one argument). Idempotent: a second
 * run changes no file. Exits non-zero with the reason when something could not be done.
 */
export const HOST_CONFIG_SCRIPT = String.raw`'use strict';
const { execFileSync } = require('node:child_process');
const fs = require('node:fs');
const LOCKSPACE = new RegExp(${JSON.stringify(LOCKSPACE_PATTERN.source)});
const KEY_LINE = new RegExp(${JSON.stringify(ENGINE_KEY_LINE_PATTERN.source)});
const COMMENT = ${JSON.stringify(' ' + ENGINE_SSH_KEY_COMMENT)};
const say = (m) => console.log('kelpie host configuration: ' + m);
const fail = (m) => { console.error('kelpie host configuration: ' + m); process.exit(1); };
const file = process.env.KELPIE_CREDENTIALS_FILE || ${JSON.stringify(P.credentials)};
if (!fs.existsSync(file)) { say('no ' + file + ': nothing to do'); process.exit(0); }
let hc;
try { hc = JSON.parse(fs.readFileSync(file, 'utf8')).hostConfig; } catch (e) { fail(file + ': ' + e.message); }
if (hc === undefined) { say('no hostConfig in ' + file + ': nothing to do'); process.exit(0); }
if (!hc || typeof hc.lockspace !== 'string' || !LOCKSPACE.test(hc.lockspace))
  fail('lockspace ' + JSON.stringify(hc && hc.lockspace) + ' is neither an absolute path nor "direct"');
if (typeof hc.engineAuthorizedKey !== 'string' || !KEY_LINE.test(hc.engineAuthorizedKey))
  fail('engineAuthorizedKey is not the restricted soft-fence line of the engine');

function keysFile() {
  if (process.env.KELPIE_AUTHORIZED_KEYS_FILE) return process.env.KELPIE_AUTHORIZED_KEYS_FILE;
  let home = '/root';
  try {
    const root = fs.readFileSync('/etc/passwd', 'utf8').split('\n').find((l) => l.startsWith('root:'));
    if (root && root.split(':')[5]) home = root.split(':')[5].trim();
  } catch (e) {}
  let listed = '.ssh/authorized_keys';
  for (const sshd of ['sshd', '/usr/sbin/sshd']) {
    try {
      const t = execFileSync(sshd, ['-T', '-C', 'user=root,host=kelpie,addr=127.0.0.1'], {
        encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'],
      });
      const m = /^authorizedkeysfile\s+(\S+)/m.exec(t);
      if (m) listed = m[1];
      break;
    } catch (e) {}
  }
  const path = listed.replace(/%%|%u|%h/g, (t) => (t === '%u' ? 'root' : t === '%h' ? home : '%'));
  return path.startsWith('/') ? path : home + '/' + path;
}

const keys = keysFile();
let current = '';
try { current = fs.readFileSync(keys, 'utf8'); } catch (e) { if (e.code !== 'ENOENT') fail(keys + ': ' + e.message); }
const kept = current.split('\n').filter((l) => l.trim() && !l.trimEnd().endsWith(COMMENT));
const wanted = kept.concat(hc.engineAuthorizedKey).join('\n') + '\n';
if (wanted === current) say('the engine soft-fence key already in ' + keys);
else {
  try {
    fs.mkdirSync(keys.slice(0, keys.lastIndexOf('/')) || '/', { recursive: true, mode: 0o700 });
    fs.writeFileSync(keys + '.kelpie-new', wanted, { mode: 0o600 });
    fs.chmodSync(keys + '.kelpie-new', 0o600);
    fs.renameSync(keys + '.kelpie-new', keys);
  } catch (e) { fail(keys + ': ' + e.message); }
  say('the engine soft-fence key written to ' + keys);
}

const lockManager = process.env.KELPIE_LOCK_MANAGER_SCRIPT || ${JSON.stringify(P.lockManager)};
try {
  const out = execFileSync('/bin/sh', [lockManager, hc.lockspace], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
  say(out.trim().split('\n').pop());
} catch (e) {
  fail('the libvirt lock manager could not be turned on: ' + ((e.stdout || '').trim().split('\n').pop() || (e.stderr || '').trim() || e.message));
}
`;

/** The scripts every installed agent has beside its code (enrollment over SSH and the Debian
 * package install the same ones): path, content, mode. */
export const AGENT_HOST_SCRIPTS: readonly { path: string; data: string; mode: number }[] = [
  { path: `${P.installDir}/supervisor.sh`, data: SUPERVISOR_SCRIPT, mode: 0o755 },
  { path: `${P.installDir}/uninstall.sh`, data: UNINSTALL_SCRIPT, mode: 0o755 },
  // Soft fencing (ADR 0032) runs this as the forced command of the engine's SSH key.
  { path: P.softFence, data: SOFT_FENCE_SCRIPT, mode: 0o755 },
  { path: P.leaseRenewer, data: LEASE_RENEWER_SCRIPT, mode: 0o755 },
  { path: P.lockManager, data: LOCK_MANAGER_SCRIPT, mode: 0o755 },
  { path: P.hostConfig, data: HOST_CONFIG_SCRIPT, mode: 0o644 },
];
