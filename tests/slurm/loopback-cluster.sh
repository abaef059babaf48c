#!/usr/bin/env bash
# A throwaway Slurm cluster on 127.0.0.1: one controller and one node, every file under one folder, no systemd.
#   tests/slurm/loopback-cluster.sh start DIR   installs slurm-wlm and munge with apt when missing (needs root), starts
#                                               munged, slurmctld and slurmd, waits until the node is idle and prints
#                                               the line to source: export SLURM_CONF=DIR/slurm.conf
#   tests/slurm/loopback-cluster.sh stop DIR    stops the three daemons by their pid files and waits until they are gone
# The Slurm tests (category Slurm) use it; it is also the quickest way to try `./run.sh slurm` on one machine.
set -euo pipefail

usage() { echo "usage: $0 start|stop DIR" >&2; exit 2; }
[ $# -eq 2 ] || usage
action=$1
mkdir -p "$2"
dir=$(cd "$2" && pwd)
case "$dir" in *[[:space:]]*) echo "error: $dir: slurm.conf cannot hold a path with white space" >&2; exit 2 ;; esac

# True while process $1 exists and is not a zombie (a container whose init does not reap keeps zombies around).
alive() { [ -r "/proc/$1/stat" ] && [ "$(cut -d' ' -f3 "/proc/$1/stat" 2>/dev/null)" != Z ]; }

# Stops the daemon $2 whose pid is in file $1, and waits until it has exited (SIGKILL after 10 s). A pid file left by a
# daemon that died long ago may name an unrelated process by now: only a process running $2 is stopped.
stop_daemon() {
  local pid_file=$1 name=$2 pid
  [ -f "$pid_file" ] || return 0
  pid=$(cat "$pid_file" 2>/dev/null || true)
  rm -f "$pid_file"
  case "$pid" in ''|*[!0-9]*) return 0 ;; esac
  alive "$pid" && tr '\0' ' ' < "/proc/$pid/cmdline" 2>/dev/null | grep -q "$name" || return 0
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 100); do alive "$pid" || return 0; sleep 0.1; done
  kill -9 "$pid" 2>/dev/null || true
  for _ in $(seq 50); do alive "$pid" || return 0; sleep 0.1; done
  echo "warning: $name (pid $pid) did not exit" >&2
}

if [ "$action" = stop ]; then
  stop_daemon "$dir/run/slurmd.pid" slurmd
  stop_daemon "$dir/run/slurmctld.pid" slurmctld
  stop_daemon "$dir/run/munged.pid" munged
  exit 0
fi
[ "$action" = start ] || usage

if ! command -v slurmctld >/dev/null || ! command -v slurmd >/dev/null || ! command -v munged >/dev/null; then
  if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
    echo "error: Slurm is not installed; install Debian's slurm-wlm and munge (apt-get install slurm-wlm munge, as root)" >&2
    exit 1
  fi
  echo "installing slurm-wlm and munge" >&2
  apt_log=$(mktemp)
  if ! { DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge \
         || { DEBIAN_FRONTEND=noninteractive apt-get update -qq \
              && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq slurm-wlm munge; }; } >"$apt_log" 2>&1; then
    cat "$apt_log" >&2
    echo "error: could not install slurm-wlm and munge" >&2
    exit 1
  fi
  rm -f "$apt_log"
fi
if [ "$(id -u)" -ne 0 ]; then
  echo "error: the loopback cluster runs slurmd, which needs root" >&2
  exit 1
fi

# A port nothing listens on now (from /proc/net/tcp*), from a range clear of the usual ephemeral ports.
free_port() {
  local port hex
  while :; do
    port=$((20000 + RANDOM % 12000))
    hex=$(printf ':%04X ' "$port")
    grep -q "$hex" /proc/net/tcp /proc/net/tcp6 2>/dev/null || { echo "$port"; return; }
  done
}

"$0" stop "$dir" # a cluster left running in this folder by an earlier, killed start
rm -rf "$dir/munge" "$dir/state" "$dir/spool" "$dir/log"
mkdir -p "$dir/munge" "$dir/state" "$dir/spool" "$dir/log" "$dir/run"
chmod 755 "$dir/munge" # munged refuses a socket folder others can write to, and clients must reach the socket

# From here on a failure says where and stops whatever was started.
trap 'status=$?; echo "error: loopback cluster start failed at line $LINENO (exit $status); logs in $dir/log" >&2; "$0" stop "$dir"; exit 1' ERR
mungekey --create --keyfile="$dir/munge/munge.key"
chmod 600 "$dir/munge/munge.key"
munged --force --key-file="$dir/munge/munge.key" --socket="$dir/munge/munge.socket" \
  --pid-file="$dir/run/munged.pid" --log-file="$dir/log/munged.log" --seed-file="$dir/munge/munged.seed"

node=$(hostname -s)
hardware=$(slurmd -C | head -1 | grep -o 'CPUs=.* RealMemory=[0-9]*' | sed 's/Boards=[0-9]* //') || true
if [ -z "$hardware" ]; then echo "error: cannot read CPUs and memory from slurmd -C: $(slurmd -C 2>&1 | head -1)" >&2; false; fi
ctld_port=$(free_port)
slurmd_port=$(free_port)
while [ "$slurmd_port" = "$ctld_port" ]; do slurmd_port=$(free_port); done

cat > "$dir/slurm.conf" <<CONF
ClusterName=harness-loopback
SlurmctldHost=$node(127.0.0.1)
SlurmctldPort=$ctld_port
SlurmdPort=$slurmd_port
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
AuthInfo=socket=$dir/munge/munge.socket
StateSaveLocation=$dir/state
SlurmdSpoolDir=$dir/spool/%n
SlurmctldPidFile=$dir/run/slurmctld.pid
SlurmdPidFile=$dir/run/slurmd.pid
SlurmctldLogFile=$dir/log/slurmctld.log
SlurmdLogFile=$dir/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
MpiDefault=none
MailProg=/bin/true
ReturnToService=2
# Ended jobs stay visible to squeue -t all for an hour, so a test can read every task's final state.
MinJobAge=3600
SchedulerType=sched/backfill
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
JobAcctGatherType=jobacct_gather/none
NodeName=$node NodeAddr=127.0.0.1 $hardware State=UNKNOWN
PartitionName=debug Nodes=$node Default=YES MaxTime=INFINITE State=UP
CONF

export SLURM_CONF="$dir/slurm.conf"
slurmctld -i
slurmd
trap - ERR
for _ in $(seq 300); do
  if [ "$(sinfo -h -o %t 2>/dev/null)" = idle ]; then
    echo "export SLURM_CONF=$dir/slurm.conf"
    exit 0
  fi
  sleep 0.1
done
echo "error: the loopback node did not become idle within 30 s; logs in $dir/log" >&2
sinfo >&2 || true
"$0" stop "$dir"
exit 1
