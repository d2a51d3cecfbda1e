// A charging station built on ocpp-rpc in strict mode: ocpp-rpc checks every frame it sends and receives
// against the OCPP 1.6 JSON schemas, so a gateway answer that breaks the standard fails this script.
// It boots, reports connector 1 Preparing, prints READY, accepts the RemoteStartTransaction that ChargeLink
// sends once a payment arrives, starts a transaction with the given idTag, sends meter values, stops it,
// and prints DONE with what it saw. Any failure prints FAILED and exits 1.
// Environment: GATEWAY (ws://host:port/ocpp), IDENTITY (chargePointId), ENERGY_WH (energy to report).
const { RPCClient } = require('ocpp-rpc');

const energyWh = Number(process.env.ENERGY_WH ?? 27420);
const now = () => new Date().toISOString();

async function main() {
    const station = new RPCClient({
        endpoint: process.env.GATEWAY,
        identity: process.env.IDENTITY,
        protocols: ['ocpp1.6'],
        strictMode: true,
        reconnect: false,
        callTimeoutMs: 15000,
    });
    let remoteStart;
    const remoteStartSeen = new Promise(resolve => { remoteStart = resolve; });
    station.handle('RemoteStartTransaction', ({ params }) => {
        remoteStart(params);
        return { status: 'Accepted' };
    });
    await station.connect();

    const boot = await station.call('BootNotification', { chargePointVendor: 'ocpp-rpc', chargePointModel: 'conformance' });
    if (boot.status !== 'Accepted') throw new Error(`BootNotification: ${JSON.stringify(boot)}`);
    await station.call('Heartbeat', {});
    await station.call('StatusNotification', { connectorId: 1, errorCode: 'NoError', status: 'Preparing', timestamp: now() });
    console.log('READY');

    const request = await remoteStartSeen;
    const authorize = await station.call('Authorize', { idTag: request.idTag });
    const started = await station.call('StartTransaction', { connectorId: request.connectorId, idTag: request.idTag, meterStart: 1000, timestamp: now() });
    await station.call('StatusNotification', { connectorId: request.connectorId, errorCode: 'NoError', status: 'Charging', timestamp: now() });
    await station.call('MeterValues', {
        connectorId: request.connectorId,
        transactionId: started.transactionId,
        meterValue: [{ timestamp: now(), sampledValue: [{ value: String(1000 + energyWh / 2), measurand: 'Energy.Active.Import.Register', unit: 'Wh' }] }],
    });
    const data = await station.call('DataTransfer', { vendorId: 'com.example', messageId: 'hello', data: 'x' });
    await station.call('StopTransaction', {
        transactionId: started.transactionId,
        meterStop: 1000 + energyWh,
        timestamp: now(),
        reason: 'EVDisconnected',
        transactionData: [{ timestamp: now(), sampledValue: [{ value: String(1000 + energyWh), context: 'Transaction.End', unit: 'Wh' }] }],
    });
    await station.call('StatusNotification', { connectorId: request.connectorId, errorCode: 'NoError', status: 'Available', timestamp: now() });
    console.log('DONE ' + JSON.stringify({
        connectorId: request.connectorId,
        idTag: request.idTag,
        authorize: authorize.idTagInfo.status,
        start: started.idTagInfo.status,
        transactionId: started.transactionId,
        dataTransfer: data.status,
    }));
    await station.close({ code: 1000 });
}

main().then(() => process.exit(0), error => {
    console.log('FAILED ' + (error?.stack ?? error));
    process.exit(1);
});
