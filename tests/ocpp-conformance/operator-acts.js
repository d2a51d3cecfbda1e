// A strict ocpp-rpc station (1.6, 2.0.1 or 2.1) that an operator acts on: ocpp-rpc checks every CALL it receives
// against its version's JSON schemas, so an operator's UnlockConnector, TriggerMessage or Reset that breaks them is
// refused here (and ChargeLink records the refusal). It boots, reports connector/EVSE 1 occupied, prints READY, answers
// each of the three acts (Unlocked, Accepted, Accepted), printing GOT <action> <params> for each, and prints DONE once
// it has all three. Any failure prints FAILED and exits 1.
// Environment: GATEWAY (ws://host:port/ocpp), IDENTITY (chargePointId), PROTOCOL (ocpp1.6, ocpp2.0.1 or ocpp2.1).
const { RPCClient } = require('ocpp-rpc');
const validators = require('./validators');

const protocol = process.env.PROTOCOL ?? 'ocpp1.6';
const v16 = protocol === 'ocpp1.6';
const now = () => new Date().toISOString();

async function main() {
    const station = new RPCClient({
        endpoint: process.env.GATEWAY,
        identity: process.env.IDENTITY,
        protocols: [protocol],
        strictMode: true,
        strictModeValidators: validators(protocol),
        reconnect: false,
        callTimeoutMs: 15000,
    });
    const got = new Set();
    let allThree;
    const done = new Promise(resolve => { allThree = resolve; });
    const answer = (action, status) => station.handle(action, ({ params }) => {
        console.log(`GOT ${action} ${JSON.stringify(params)}`);
        got.add(action);
        if (got.size === 3) setTimeout(allThree, 200);
        return { status };
    });
    answer('UnlockConnector', 'Unlocked');
    answer('TriggerMessage', 'Accepted');
    answer('Reset', 'Accepted');
    await station.connect();
    if (station.protocol !== protocol) throw new Error(`the gateway selected ${station.protocol}, not ${protocol}`);

    if (v16) {
        await station.call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'operator-acts' });
        await station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
    } else {
        await station.call('BootNotification', { chargingStation: { model: 'operator-acts', vendorName: 'ocpp-rpc' }, reason: 'PowerUp' });
        await station.call('StatusNotification', { timestamp: now(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    }
    console.log('READY');
    await done;
    console.log('DONE ' + JSON.stringify({ acts: [...got] }));
    await station.close({ code: 1000 });
}

main().then(() => process.exit(0), error => {
    console.log('FAILED ' + (error?.stack ?? error));
    process.exit(1);
});
