# ChargeLink: `make run` starts everything, `make test` runs the whole suite. Both bring up RabbitMQ and
# PostgreSQL first (infra/up.sh) and build the Marten restore bridge (build/marten-bridge) before restoring.
SHELL := /bin/bash
CONFIGURATION ?= Release
export CHARGELINK_RABBITMQ ?= amqp://guest:guest@127.0.0.1:5672/
export CHARGELINK_POSTGRES ?= Host=127.0.0.1;Port=5432;Database=chargelink;Username=chargelink;Password=chargelink
export DOTNET_CLI_TELEMETRY_OPTOUT := 1
export DOTNET_NOLOGO := 1

BRIDGE := .packages/Patched.DistributedLock.Core.1.0.11.nupkg

.PHONY: all bridge infra browser build test conformance-station run demo bench bench-quick bench-cpu bench-connections bench-soak bench-soak-quick bench-relay bench-floor bench-replay bench-baseline bench-baseline-only chaos chaos-quick mutation format clean
all: build

bridge: $(BRIDGE)
$(BRIDGE): build/marten-bridge/Patched.DistributedLock.Core.nuspec build/marten-bridge/MartenBridge.csproj
	@mkdir -p .packages
	dotnet pack build/marten-bridge/MartenBridge.csproj -nologo -v quiet

infra:
	bash infra/up.sh

build: bridge
	dotnet build ChargeLink.sln -c $(CONFIGURATION) -nologo -v quiet

test: infra browser build conformance-station
	dotnet format ChargeLink.sln --verify-no-changes --no-restore
	bash build/test.sh $(CONFIGURATION)

# Debian's chromium, which the console's browser tests drive (infra/browser.sh installs it when missing).
browser:
	bash infra/browser.sh

# The strict ocpp-rpc station the integration tests run against the gateway (Node.js and npm).
conformance-station:
	@command -v node >/dev/null || { echo "node is not installed: the OCPP conformance test needs Node.js (apt-get install nodejs npm)"; exit 1; }
	cd tests/ocpp-conformance && npm ci --no-audit --no-fund --loglevel=error

run: infra build
	bash infra/run.sh $(CONFIGURATION)

# Benchmarks on real services (see bench/): results in bench/results/<timestamp>.{json,md,png}.
bench: infra build bench-baseline
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll

bench-quick: infra build bench-baseline
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll --quick

# Only the sessions at 50/s (RATE=100: at 100/s) for 30 s, and each part's CPU per session, on the console: to compare
# two builds.
RATE ?= 50
bench-cpu: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll --cpu --rate $(RATE)

# Only 10,000 stations on one gateway, held 30 s: its resident memory per connection, on the console.
bench-connections: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll --connections

# Only the gateway against a bare ocpp-rpc server (frames per CPU-second, three alternating 15 s runs), on the console.
bench-baseline-only: infra build bench-baseline
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll --baseline

# Costs over time (see bench/ChargeLink.Bench/Soak): 100,800 sessions over 500 groups at 42/s (40 minutes, about 43 in all),
# sampled as they run, then a cold restart of the orchestrator; results in bench/results/soak-<timestamp>.{json,md,png}.
bench-soak: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll soak

bench-soak-quick: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll soak --quick

# The command relay alone (the orchestrator's own, in the bench's process) over 100,000 seeded sessions: after a crash
# and in steady state; results in bench/results/relay-<timestamp>.{json,md}. Needs rabbitmqctl (a vhost of its own).
bench-relay: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll relay

# What a bare broker hop (persistent, confirmed, acked), the same hop through MassTransit, and a bare commit cost in CPU
# on this machine, without the services, and the floor they put under a session (11 hops, 8 commits):
# bench/results/floor-<timestamp>.json (about 70 s).
bench-floor: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll floor

# Only scenario 4, the audit replay (the CLI as a process) over seeded logs of 250,000 and 1,000,000 events, three runs
# each, without the services: results in bench/results/replay-<timestamp>.json.
bench-replay: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll replay

# Faults on real services (see bench/ChargeLink.Bench/Chaos): SIGKILLs among whole sessions, lost answers, a million
# malformed frames; results in bench/results/chaos-<timestamp>.{json,md}. Needs rabbitmqctl (a vhost of its own).
chaos: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll chaos

chaos-quick: infra build
	dotnet bench/ChargeLink.Bench/bin/$(CONFIGURATION)/net10.0/ChargeLink.Bench.dll chaos --quick

# Mutation testing of the pure core (Stryker.NET, a local dotnet tool): mutates src/ChargeLink.Domain and runs the unit
# tests against each mutant; the report lands in tests/ChargeLink.UnitTests/StrykerOutput/<timestamp>/reports/.
mutation: bridge
	dotnet tool restore
	cd tests/ChargeLink.UnitTests && dotnet stryker --config-file stryker-config.json

# The frames-per-second baseline: a bare ocpp-rpc server (Node.js and npm).
bench-baseline:
	@command -v node >/dev/null || { echo "node is not installed: the benchmark's baseline needs Node.js (apt-get install nodejs npm)"; exit 1; }
	cd bench/baseline && npm ci --no-audit --no-fund --loglevel=error

demo:
	dotnet src/ChargeLink.Cli/bin/$(CONFIGURATION)/net10.0/chargelink.dll demo

# CSharpier (a local tool, dotnet-tools.json) wraps code to .editorconfig's max_line_length; dotnet format has the last word.
format: bridge
	dotnet tool restore
	dotnet csharpier format src
	dotnet format ChargeLink.sln

clean:
	dotnet clean ChargeLink.sln -nologo -v quiet; rm -rf .packages
