// Preloaded (`node --require`) into the local Kinesis endpoint by KinesisLocal.java. kinesis-mock
// 0.6.2 listens on 0.0.0.0, hard-coded, for its plain and its TLS port; this makes every TCP
// server of the process listen on 127.0.0.1 instead, so the endpoint is unreachable from other
// machines. Loopback or other explicit hosts, Unix sockets and inherited handles are left alone.
'use strict';
const net = require('net');

const WILDCARD = new Set(['', '0.0.0.0', '::', '::0', '0:0:0:0:0:0:0:0']);
const LOOPBACK = '127.0.0.1';
const isPort = (v) => typeof v === 'number' || (typeof v === 'string' && /^\d+$/.test(v));
const isWildcard = (host) => host === undefined || host === null || WILDCARD.has(host);

const listen = net.Server.prototype.listen;
net.Server.prototype.listen = function (...args) {
  const first = args[0];
  if (args.length === 0 || typeof first === 'function') {
    // listen([callback]): a random port on every interface.
    args.unshift(0, LOOPBACK);
  } else if (isPort(first)) {
    // listen(port[, host][, backlog][, callback])
    if (typeof args[1] === 'string') {
      if (isWildcard(args[1])) args[1] = LOOPBACK;
    } else {
      args.splice(1, 0, LOOPBACK);
    }
  } else if (first !== null && typeof first === 'object' && first.path === undefined
      && first.handle === undefined && first._handle === undefined && first.fd === undefined
      && isWildcard(first.host)) {
    // listen({port, host, ...}[, callback])
    args[0] = Object.assign({}, first, { host: LOOPBACK });
  }
  return listen.apply(this, args);
};
