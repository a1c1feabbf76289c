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
 * agent 2 s after it exits; \`stop\` ends it (the agent gets SIGTERM and shuts down gracefully);
 * \`exec\` runs the agent in the foreground (systemd's ExecStart).
 */
export const SUPERVISOR_SCRIPT = `#!/bin/sh
set -u
PIDFILE=${P.stateDir}/supervisor.pid
LOG=${P.stateDir}/agent.log
load_env() { set -a; . ${P.env}; set +a; }
alive() { [ -f "$PIDFILE" ] && kill -0 "$(cat "$PIDFILE")" 2>/dev/null; }
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
start)
  alive && exit 0
  rm -f "$PIDFILE"
  setsid /bin/sh "$0" loop </dev/null >/dev/null 2>&1 &
  for _ in 1 2 3 4 5 6 7 8 9 10; do [ -f "$PIDFILE" ] && exit 0; sleep 0.2; done
  echo "the agent supervisor did not start" >&2; exit 1 ;;
stop)
  alive || exit 0
  pid=$(cat "$PIDFILE")
  kill -TERM "$pid"
  while kill -0 "$pid" 2>/dev/null; do sleep 0.2; done ;;
*)
  echo "usage: $0 start|stop|exec" >&2; exit 2 ;;
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
