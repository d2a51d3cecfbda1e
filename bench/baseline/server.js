// The baseline of the frames-per-second comparison: a bare OCPP-J 1.6 central system on ocpp-rpc (strict mode,
// so it validates every frame as the gateway does) that answers BootNotification, Heartbeat and
// StatusNotification and does nothing else: no broker, no database. Prints LISTENING once it accepts connections.
// Environment: PORT.
const { RPCServer } = require('ocpp-rpc');

const server = new RPCServer({ protocols: ['ocpp1.6'], strictMode: true });
server.on('client', client => {
    client.handle('BootNotification', () => ({ status: 'Accepted', interval: 300, currentTime: new Date().toISOString() }));
    client.handle('Heartbeat', () => ({ currentTime: new Date().toISOString() }));
    client.handle('StatusNotification', () => ({}));
});
server.listen(Number(process.env.PORT ?? 19500), '127.0.0.1').then(() => console.log('LISTENING'));
