// A strict ocpp-rpc station (1.6, 2.0.1 or 2.1) that an operator acts on: ocpp-rpc checks every CALL it receives
// against its version's JSON schemas, so an operator's act whose CALL breaks them is refused here (and ChargeLink records
// the refusal). It boots, reports connector/EVSE 1 occupied and prints READY; it answers UnlockConnector (Unlocked),
// TriggerMessage, ChangeAvailability and Reset (Accepted), printing GOT <action> <params> for each. Then the payment's
// start: it accepts it, starts the transaction with the payment's token at 1000 Wh, and when the operator's stop comes
// (RemoteStopTransaction / RequestStopTransaction) accepts it and ends the transaction at 1000 + ENERGY_WH Wh. It prints
// DONE with the actions it received. Any failure prints FAILED and exits 1.
// Environment: GATEWAY (ws://host:port/ocpp), IDENTITY (chargePointId), PROTOCOL (ocpp1.6, ocpp2.0.1 or ocpp2.1),
// ENERGY_WH.
const { RPCClient } = require('ocpp-rpc');
const validators = require('./validators');

const protocol = process.env.PROTOCOL ?? 'ocpp1.6';
const v16 = protocol === 'ocpp1.6';
const energyWh = Number(process.env.ENERGY_WH ?? '4000');
const now = () => new Date().toISOString();
const meter = wh => [{ timestamp: now(), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }] }];

function seen() {
    let resolve;
    const promise = new Promise(r => { resolve = r; });
    return { promise, resolve };
}

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
    const got = [];
    const start = seen(), stop = seen();
    const answer = (action, status, then = () => {}) => station.handle(action, ({ params }) => {
        console.log(`GOT ${action} ${JSON.stringify(params)}`);
        got.push(action);
        then(params);
        return { status };
    });
    answer('UnlockConnector', 'Unlocked');
    answer('TriggerMessage', 'Accepted');
    answer('ChangeAvailability', 'Accepted');
    answer('Reset', 'Accepted');
    answer(v16 ? 'RemoteStartTransaction' : 'RequestStartTransaction', 'Accepted', start.resolve);
    answer(v16 ? 'RemoteStopTransaction' : 'RequestStopTransaction', 'Accepted', stop.resolve);
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

    const request = await start.promise;
    if (v16) {
        const started = await station.call('StartTransaction', { connectorId: request.connectorId, idTag: request.idTag, meterStart: 1000, timestamp: now() });
        const asked = await stop.promise;
        if (asked.transactionId !== started.transactionId) throw new Error(`stop of ${asked.transactionId}, not ${started.transactionId}`);
        await station.call('StopTransaction', { transactionId: started.transactionId, meterStop: 1000 + energyWh, timestamp: now(), reason: 'Remote' });
    } else {
        const transactionId = `rpc-${Date.now()}`;
        const evse = { id: request.evseId, connectorId: 1 };
        await station.call('TransactionEvent', {
            eventType: 'Started', timestamp: now(), triggerReason: 'RemoteStart', seqNo: 0,
            transactionInfo: { transactionId, remoteStartId: request.remoteStartId, chargingState: 'Charging' },
            idToken: request.idToken, evse, meterValue: meter(1000),
        });
        const asked = await stop.promise;
        if (asked.transactionId !== transactionId) throw new Error(`stop of ${asked.transactionId}, not ${transactionId}`);
        await station.call('TransactionEvent', {
            eventType: 'Ended', timestamp: now(), triggerReason: 'RemoteStop', seqNo: 1,
            transactionInfo: { transactionId, stoppedReason: 'Remote' }, evse, meterValue: meter(1000 + energyWh),
        });
    }
    console.log('DONE ' + JSON.stringify({ acts: got }));
    await station.close({ code: 1000 });
}

main().then(() => process.exit(0), error => {
    console.log('FAILED ' + (error?.stack ?? error));
    process.exit(1);
});
