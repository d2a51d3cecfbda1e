// A charging station of OCPP 2.0.1 or 2.1 built on ocpp-rpc in strict mode: every frame it sends and receives is
// checked against the OCA's JSON schemas of its version, so a gateway answer or request that breaks them fails here.
// It boots, reports EVSE 1 Occupied, prints READY, accepts the RequestStartTransaction that ChargeLink sends once a
// payment arrives, runs a transaction with that idToken (Started, Updated, Ended, with the energy register), and
// prints DONE with what it saw. Any failure prints FAILED and exits 1.
// Environment: GATEWAY (ws://host:port/ocpp), IDENTITY (chargePointId), PROTOCOL (ocpp2.0.1 or ocpp2.1), ENERGY_WH.
const { RPCClient } = require('ocpp-rpc');
const validators = require('./validators');

const protocol = process.env.PROTOCOL ?? 'ocpp2.0.1';
const energyWh = Number(process.env.ENERGY_WH ?? 27420);
const now = () => new Date().toISOString();
const meter = wh => [{ timestamp: now(), sampledValue: [{ value: wh, measurand: 'Energy.Active.Import.Register' }] }];

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
    let remoteStart;
    const remoteStartSeen = new Promise(resolve => { remoteStart = resolve; });
    station.handle('RequestStartTransaction', ({ params }) => {
        remoteStart(params);
        return { status: 'Accepted' };
    });
    await station.connect();
    if (station.protocol !== protocol) throw new Error(`the gateway selected ${station.protocol}, not ${protocol}`);

    const boot = await station.call('BootNotification', { chargingStation: { model: 'conformance', vendorName: 'ocpp-rpc' }, reason: 'PowerUp' });
    if (boot.status !== 'Accepted') throw new Error(`BootNotification: ${JSON.stringify(boot)}`);
    await station.call('Heartbeat', {});
    await station.call('StatusNotification', { timestamp: now(), connectorStatus: 'Occupied', evseId: 1, connectorId: 1 });
    console.log('READY');

    const request = await remoteStartSeen;
    const authorize = await station.call('Authorize', { idToken: request.idToken });
    const transactionInfo = { transactionId: `rpc-${Date.now()}`, remoteStartId: request.remoteStartId };
    const evse = { id: request.evseId, connectorId: 1 };
    const started = await station.call('TransactionEvent', {
        eventType: 'Started', timestamp: now(), triggerReason: 'RemoteStart', seqNo: 0,
        transactionInfo: { ...transactionInfo, chargingState: 'Charging' }, idToken: request.idToken, evse, meterValue: meter(1000),
    });
    await station.call('TransactionEvent', {
        eventType: 'Updated', timestamp: now(), triggerReason: 'MeterValuePeriodic', seqNo: 1,
        transactionInfo: { transactionId: transactionInfo.transactionId }, evse, meterValue: meter(1000 + energyWh / 2),
    });
    const data = await station.call('DataTransfer', { vendorId: 'com.example', messageId: 'hello', data: 'x' });
    await station.call('TransactionEvent', {
        eventType: 'Ended', timestamp: now(), triggerReason: 'EVCommunicationLost', seqNo: 2,
        transactionInfo: { transactionId: transactionInfo.transactionId, stoppedReason: 'EVDisconnected' }, evse, meterValue: meter(1000 + energyWh),
    });
    await station.call('StatusNotification', { timestamp: now(), connectorStatus: 'Available', evseId: request.evseId, connectorId: 1 });
    console.log('DONE ' + JSON.stringify({
        connectorId: request.evseId,
        idTokenType: request.idToken.type,
        authorize: authorize.idTokenInfo.status,
        start: started.idTokenInfo?.status,
        dataTransfer: data.status,
    }));
    await station.close({ code: 1000 });
}

main().then(() => process.exit(0), error => {
    console.log('FAILED ' + (error?.stack ?? error));
    process.exit(1);
});
