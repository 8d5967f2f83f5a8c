#!/usr/bin/env bash
# A private single-node Slurm for tests: one slurmctld and one `slurmd -N localhost` whose
# configuration, state, spool, logs and pid files all live under DIR (root only; jobs/setup.sh
# installs the packages). Derived from ../shared/examples/slurm-single-node.conf: munge auth,
# proctrack/linuxproc, task/none, MpiDefault=pmix, no accounting.
#
#   tests/slurm/slurm_cluster.sh start DIR   # prints `export SLURM_CONF=DIR/slurm.conf` on stdout
#   tests/slurm/slurm_cluster.sh stop DIR    # cancels its jobs, scontrol shutdown, waits
#   tests/slurm/slurm_cluster.sh check       # exit 0 if this machine can run one, else says why
#   eval "$(tests/slurm/slurm_cluster.sh start "$dir")" && sbatch ...
#
# Or source it and call slurm_cluster_start DIR / slurm_cluster_stop DIR (start also exports
# SLURM_CONF). `start` is idempotent: daemons already running from DIR are kept, stale pid files
# and daemons of a crashed run from DIR are cleaned up, a fresh start clears old job state
# (slurmctld -c). Ports: 6817/6818 when free, else the first free pair above (AU_SLURM_PORT sets
# the first). munged runs as the munge user and is left running by `stop` (it is shared).
# AU_SLURM_START_TIMEOUT (seconds, default 60) bounds the wait for the node to become idle.

_slurm_cluster_log() { echo "slurm_cluster: $*" >&2; }

# Prints the reason this machine cannot run the private cluster; returns 1 then.
slurm_cluster_check() {
  local b
  for b in slurmctld slurmd sinfo sbatch srun scontrol scancel squeue munge munged; do
    command -v "$b" > /dev/null || [ -x "/usr/sbin/$b" ] \
      || { echo "slurm_cluster: $b not installed (run jobs/setup.sh)"; return 1; }
  done
  [ "$(id -u)" -eq 0 ] || { echo "slurm_cluster: needs root (SlurmUser=root, slurmd)"; return 1; }
  [ -e /usr/lib/x86_64-linux-gnu/slurm-wlm/mpi_pmix.so ] || ls /usr/lib/*/slurm-wlm/mpi_pmix.so > /dev/null 2>&1 \
    || { echo "slurm_cluster: Slurm's mpi/pmix plugin is missing"; return 1; }
  return 0
}

# True when something listens on 127.0.0.1:PORT.
_slurm_port_busy() { (exec 3<> "/dev/tcp/127.0.0.1/$1") 2> /dev/null; }

# _slurm_daemon_pid DIR NAME: prints the pid from DIR/NAME.pid when that process is alive and
# is NAME started with DIR's configuration; removes a stale pid file.
_slurm_daemon_pid() {
  local dir=$1 name=$2 pidfile=$1/$2.pid pid
  [ -s "$pidfile" ] || return 1
  pid=$(< "$pidfile")
  if [ -r "/proc/$pid/cmdline" ] && [ "$(cat "/proc/$pid/comm" 2> /dev/null)" = "$name" ] \
    && tr '\0' '\n' < "/proc/$pid/cmdline" | grep -qxF "$dir/slurm.conf"; then
    echo "$pid"
    return 0
  fi
  rm -f "$pidfile"
  return 1
}

# _slurm_kill_pids SECONDS PID...: SIGTERM, then SIGKILL for those alive after SECONDS.
_slurm_kill_pids() {
  local wait_s=$1 pid i
  shift
  [ $# -gt 0 ] || return 0
  kill -TERM "$@" 2> /dev/null || true
  for ((i = 0; i < wait_s * 5; i++)); do
    local alive=0
    for pid in "$@"; do kill -0 "$pid" 2> /dev/null && alive=1; done
    [ "$alive" = 1 ] || return 0
    sleep 0.2
  done
  kill -KILL "$@" 2> /dev/null || true
}

_slurm_conf_get() { sed -n "s/^$2=\([^ ]*\).*/\1/p" "$1" | head -1; }

# Starts munged as the munge user unless a working one answers; creates the key if missing.
_slurm_start_munge() {
  if munge -n 2> /dev/null | unmunge > /dev/null 2>&1; then return 0; fi
  local key=/etc/munge/munge.key
  if [ ! -s "$key" ]; then
    _slurm_cluster_log "creating munge key $key"
    install -d -o munge -g munge -m 0700 /etc/munge
    runuser -u munge -- mungekey --create --keyfile="$key" > /dev/null
  fi
  install -d -o munge -g munge -m 0755 /run/munge
  install -d -o munge -g munge -m 0700 /var/lib/munge /var/log/munge
  _slurm_cluster_log "starting munged"
  runuser -u munge -- /usr/sbin/munged || { _slurm_cluster_log "munged did not start"; return 1; }
  local i
  for ((i = 0; i < 50; i++)); do
    munge -n 2> /dev/null | unmunge > /dev/null 2>&1 && return 0
    sleep 0.1
  done
  _slurm_cluster_log "munged does not answer (see /var/log/munge/munged.log)"
  return 1
}

# _slurm_write_conf DIR CTLD_PORT SLURMD_PORT: true when DIR/slurm.conf changed.
_slurm_write_conf() {
  local dir=$1 cport=$2 dport=$3 cpus mem_mb
  # Also how long a requeued job waits before it may start again (Slurm's default: 120 s).
  local cred_expire=${AU_SLURM_CRED_EXPIRE:-10}
  cpus=$(nproc)
  # 90% of physical memory in MiB: slurmd drains a node whose RealMemory exceeds what it finds.
  mem_mb=$(awk '/^MemTotal:/ { printf "%d", $2 / 1024 * 0.9 }' /proc/meminfo)
  cat > "$dir/slurm.conf.new" << EOF
# Written by tests/slurm/slurm_cluster.sh (from shared/examples/slurm-single-node.conf).
ClusterName=au
SlurmctldHost=localhost
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=cred_expire=$cred_expire
CredType=cred/munge
SlurmctldPort=$cport
SlurmdPort=$dport
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool
SlurmctldPidFile=$dir/slurmctld.pid
SlurmdPidFile=$dir/slurmd.pid
SlurmctldLogFile=$dir/slurmctld.log
SlurmdLogFile=$dir/slurmd.log
SlurmctldDebug=info
SlurmdDebug=info
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
SchedulerType=sched/backfill
# Quick scheduling passes: a requeued job starts again within seconds of its delay.
SchedulerParameters=bf_interval=2,sched_interval=5
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=pmix
MailProg=/bin/true
ReturnToService=2
SlurmdTimeout=60
InactiveLimit=0
KillWait=5
JobRequeue=1
NodeName=localhost NodeAddr=127.0.0.1 CPUs=$cpus RealMemory=$mem_mb State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP OverSubscribe=NO
EOF
  if cmp -s "$dir/slurm.conf.new" "$dir/slurm.conf"; then
    rm -f "$dir/slurm.conf.new"
    return 1
  fi
  mv "$dir/slurm.conf.new" "$dir/slurm.conf"
}

# Node state as sinfo prints it ("idle", "down*", ...), empty when slurmctld does not answer.
_slurm_node_state() { SLURM_CONF=$1/slurm.conf timeout 10 sinfo -h -N -n localhost -o %T 2> /dev/null | head -1; }

_slurm_fail_with_logs() {
  local dir=$1 f
  shift
  _slurm_cluster_log "ERROR: $*"
  for f in "$dir/slurmctld.log" "$dir/slurmd.log" "$dir/slurmctld.out" "$dir/slurmd.out"; do
    [ -s "$f" ] || continue
    echo "---- tail $f" >&2
    tail -n 20 "$f" >&2
  done
  SLURM_CONF=$dir/slurm.conf timeout 10 sinfo -R >&2 2> /dev/null || true
  return 1
}

# slurm_cluster_start DIR: starts (or finds running) the cluster of DIR, waits until the node
# is usable, prints `export SLURM_CONF=...` and exports it when sourced.
slurm_cluster_start() {
  local dir=${1:?usage: slurm_cluster_start DIR}
  local why
  why=$(slurm_cluster_check) || { echo "$why" >&2; return 1; }
  mkdir -p "$dir"
  dir=$(cd "$dir" && pwd)
  local conf=$dir/slurm.conf
  mkdir -p "$dir/state" "$dir/spool"

  local ctld_pid slurmd_pid
  ctld_pid=$(_slurm_daemon_pid "$dir" slurmctld) || ctld_pid=
  slurmd_pid=$(_slurm_daemon_pid "$dir" slurmd) || slurmd_pid=
  # A daemon alive from DIR whose slurmctld does not answer is left from a crashed run.
  if [ -n "$ctld_pid$slurmd_pid" ] && ! SLURM_CONF=$conf timeout 10 scontrol ping 2> /dev/null | grep -q UP; then
    _slurm_cluster_log "stopping unresponsive daemons of $dir (pids $ctld_pid $slurmd_pid)"
    # shellcheck disable=SC2086
    _slurm_kill_pids 10 $ctld_pid $slurmd_pid
    rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"
    ctld_pid='' slurmd_pid=''
  fi

  local cport dport
  if [ -n "$ctld_pid$slurmd_pid" ] && [ -f "$conf" ]; then
    cport=$(_slurm_conf_get "$conf" SlurmctldPort)
    dport=$(_slurm_conf_get "$conf" SlurmdPort)
  else
    cport=${AU_SLURM_PORT:-6817}
    while _slurm_port_busy "$cport" || _slurm_port_busy $((cport + 1)); do
      cport=$((cport + 2))
      [ "$cport" -lt 7817 ] || { _slurm_cluster_log "no free port pair in 6817-7817"; return 1; }
    done
    [ "$cport" = "${AU_SLURM_PORT:-6817}" ] \
      || _slurm_cluster_log "ports ${AU_SLURM_PORT:-6817}/6818 are taken (another cluster?); using $cport/$((cport + 1))"
    dport=$((cport + 1))
  fi
  if _slurm_write_conf "$dir" "$cport" "$dport" && [ -n "$ctld_pid" ]; then
    _slurm_cluster_log "slurm.conf changed: scontrol reconfigure"
    SLURM_CONF=$conf timeout 30 scontrol reconfigure || _slurm_cluster_log "scontrol reconfigure failed"
  fi
  _slurm_start_munge || return 1

  export SLURM_CONF=$conf
  if [ -z "$ctld_pid" ]; then
    # No slurmd of DIR runs either (see above): -c starts without the jobs of an earlier run.
    _slurm_cluster_log "starting slurmctld (port $cport)"
    SLURM_CONF=$conf slurmctld -c -f "$conf" > "$dir/slurmctld.out" 2>&1 \
      || { _slurm_fail_with_logs "$dir" "slurmctld failed to start"; return 1; }
  fi
  if [ -z "$slurmd_pid" ]; then
    _slurm_cluster_log "starting slurmd -N localhost (port $dport)"
    SLURM_CONF=$conf slurmd -N localhost -f "$conf" > "$dir/slurmd.out" 2>&1 \
      || { _slurm_fail_with_logs "$dir" "slurmd failed to start"; return 1; }
  fi

  local timeout_s=${AU_SLURM_START_TIMEOUT:-60} start=$SECONDS state=
  while :; do
    state=$(_slurm_node_state "$dir")
    case $state in
      idle | mixed | allocated | completing) break ;;
    esac
    if [ $((SECONDS - start)) -ge "$timeout_s" ]; then
      _slurm_fail_with_logs "$dir" "node localhost not idle after ${timeout_s}s (state '${state:-no answer}')"
      return 1
    fi
    sleep 1
  done
  _slurm_cluster_log "node localhost $state after $((SECONDS - start))s ($dir)"
  echo "export SLURM_CONF=$conf"
}

# slurm_cluster_stop DIR: cancels the cluster's jobs, shuts it down and waits for its daemons
# to exit (killing them after 30 s). Quiet when nothing runs.
slurm_cluster_stop() {
  local dir=${1:?usage: slurm_cluster_stop DIR}
  [ -d "$dir" ] || return 0
  dir=$(cd "$dir" && pwd)
  local conf=$dir/slurm.conf ctld_pid slurmd_pid i
  ctld_pid=$(_slurm_daemon_pid "$dir" slurmctld) || ctld_pid=
  slurmd_pid=$(_slurm_daemon_pid "$dir" slurmd) || slurmd_pid=
  [ -n "$ctld_pid$slurmd_pid" ] || return 0
  if [ -n "$ctld_pid" ]; then
    # Jobs first, so that no slurmstepd outlives the cluster.
    if [ -n "$(SLURM_CONF=$conf timeout 10 squeue -h -o %i 2> /dev/null)" ]; then
      SLURM_CONF=$conf timeout 10 scancel --full --quiet --partition=debug 2> /dev/null || true
      for ((i = 0; i < 150; i++)); do
        [ -z "$(SLURM_CONF=$conf timeout 10 squeue -h -o %i 2> /dev/null)" ] && break
        sleep 0.2
      done
    fi
    SLURM_CONF=$conf timeout 10 scontrol shutdown 2> /dev/null || true
  fi
  for ((i = 0; i < 150; i++)); do
    local alive=0 pid
    for pid in $ctld_pid $slurmd_pid; do kill -0 "$pid" 2> /dev/null && alive=1; done
    [ "$alive" = 1 ] || break
    sleep 0.2
  done
  # shellcheck disable=SC2086
  _slurm_kill_pids 5 $ctld_pid $slurmd_pid
  rm -f "$dir/slurmctld.pid" "$dir/slurmd.pid"
  _slurm_cluster_log "stopped ($dir)"
}

# slurm_test_begin NAME: for test scripts. Prints SKIP and exits 0 where this machine cannot run
# the private cluster; else sets `work` to a fresh short folder /tmp/NAME.XXXXXX (PMIx sockets
# live under it) and, at exit, stops the cluster started in $work/slurm and removes the folder.
slurm_test_begin() {
  local why
  if ! why=$(slurm_cluster_check); then
    echo "SKIP: $why"
    exit 0
  fi
  work=$(mktemp -d "/tmp/$1.XXXXXX")
  trap 'slurm_cluster_stop "$work/slurm" > /dev/null 2>&1 || true; rm -rf "$work"' EXIT
}

# slurm_job_state JOB: PENDING, RUNNING, COMPLETED, ... (empty once Slurm forgot the job).
slurm_job_state() { scontrol show job "$1" 2> /dev/null | grep -o "JobState=[A-Z_]*" | head -1 | cut -d= -f2 || true; }
# slurm_wait_end JOB [SECONDS]: waits until the job ends (default 300 s); prints its state.
slurm_wait_end() {
  local state="" i
  for ((i = 0; i < ${2:-300} * 2; i++)); do
    state=$(slurm_job_state "$1")
    case "$state" in COMPLETED | FAILED | CANCELLED | TIMEOUT | NODE_FAIL | OUT_OF_MEMORY) break ;; esac
    sleep 0.5
  done
  echo "$state"
}

if [ "${BASH_SOURCE[0]}" = "$0" ]; then
  set -euo pipefail
  case ${1:-} in
    start) [ $# -eq 2 ] || { echo "usage: $0 start DIR" >&2; exit 64; }; slurm_cluster_start "$2" ;;
    stop) [ $# -eq 2 ] || { echo "usage: $0 stop DIR" >&2; exit 64; }; slurm_cluster_stop "$2" ;;
    check) slurm_cluster_check ;;
    *) echo "usage: $0 start DIR | stop DIR | check" >&2; exit 64 ;;
  esac
fi
