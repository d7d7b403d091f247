import type { LookupAddress } from 'node:dns';
import { isIP, type LookupFunction, Socket, type TcpNetConnectOpts } from 'node:net';

export interface LoopbackGuard {
  /** Every connection the guard stopped: to a non-loopback address, or through the system resolver. */
  blocked: string[];
  restore(): void;
}

const isLoopback = (ip: string) => /^(?:127\.|::1$|::ffff:127\.)/.test(ip);

/**
 * Lets sockets connect to loopback addresses only, whatever the code under test does (issue 14: no
 * test may connect to a non-loopback address, not even when the code it tests is wrong). A
 * connection to another address, or to a name looked up by the system resolver, fails and is
 * recorded in `blocked`; a name looked up by a stub must resolve to loopback.
 */
export function allowLoopbackOnly(): LoopbackGuard {
  const original = Socket.prototype.connect;
  const blocked: string[] = [];
  const refuse = (socket: Socket, what: string) => {
    blocked.push(what);
    process.nextTick(() => socket.destroy(Object.assign(new Error(`test guard: connection to ${what} blocked`), { code: 'ECONNREFUSED' })));
    return socket;
  };
  Socket.prototype.connect = function guardedConnect(this: Socket, ...args: unknown[]) {
    // net.connect passes its normalized [options, callback]; tls.connect passes options.
    const first = args[0];
    const options = (Array.isArray(first) ? first[0] : first) as TcpNetConnectOpts | undefined;
    if (options && typeof options === 'object' && options.port !== undefined) {
      const host = options.host ?? 'localhost';
      if (isIP(host)) {
        if (!isLoopback(host)) return refuse(this, host);
      } else if (!options.lookup) {
        return refuse(this, `${host} (system resolver)`);
      } else {
        options.lookup = loopbackLookup(options.lookup, blocked);
      }
    }
    return (original as (...a: unknown[]) => Socket).apply(this, args);
  } as typeof original;
  return { blocked, restore: () => void (Socket.prototype.connect = original) };
}

function loopbackLookup(inner: LookupFunction, blocked: string[]): LookupFunction {
  return (hostname, options, callback) =>
    inner(hostname, options, (err, address, family) => {
      if (err) return callback(err, address, family);
      const all = Array.isArray(address) ? address.map((a: LookupAddress) => a.address) : [address];
      const outside = all.filter((a) => !isLoopback(a));
      if (outside.length === 0) return callback(null, address, family);
      blocked.push(`${hostname} -> ${outside.join(', ')}`);
      callback(Object.assign(new Error(`test guard: ${hostname} resolved to ${outside.join(', ')}, blocked`), { code: 'ECONNREFUSED' }), '');
    });
}
