import { Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';

/** This app instance as its capsule claims name it (claimedBy): host, process and a random part. */
@Injectable()
export class CapsuleInstance {
  readonly id = `${hostname()}:${process.pid}:${randomBytes(4).toString('hex')}`;
}
