// The strict-mode validators a station of `protocol` needs beyond ocpp-rpc's own: ocpp-rpc 2.2.1 ships the 2.1
// schemas as urn:XRequest / urn:XResponse but looks them up as urn:X.req / urn:X.conf, so 2.1 gets them renamed.
const { createValidator } = require('ocpp-rpc');

module.exports = function validators(protocol) {
    if (protocol !== 'ocpp2.1') return [];
    const schemas = require('ocpp-rpc/lib/schemas/ocpp2_1.json').map(schema => ({
        ...schema,
        $id: schema.$id.replace(/Request$/, '.req').replace(/Response$/, '.conf'),
    }));
    return [createValidator('ocpp2.1', schemas)];
};
