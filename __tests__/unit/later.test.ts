import { describe, expect, it } from '@jest/globals';
import { createServer } from 'node:net';
import { afterRequestsLeave } from '../../src/later.js';

describe('afterRequestsLeave', () => {
  it('runs the work only after the event loop has turned twice, so a connection opened just before is already established', async () => {
    const server = createServer((s) => s.end());
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const { port } = server.address() as { port: number };
    const order: string[] = [];
    const { connect } = await import('node:net');
    const socket = connect(port, '127.0.0.1', () => order.push('connected'));
    setImmediate(() => order.push('first turn'));
    const result = await afterRequestsLeave(async () => {
      order.push('work');
      return 42;
    });
    socket.destroy();
    await new Promise((r) => server.close(r));
    expect(result).toBe(42);
    expect(order).toEqual(['first turn', 'connected', 'work']);
  });

  it('passes the work’s failure on', async () => {
    await expect(afterRequestsLeave(() => Promise.reject(new Error('no chunk')))).rejects.toThrow('no chunk');
  });
});
