import { EventEmitter2 } from '@nestjs/event-emitter';

/** Where @OnEvent() records the events a method listens to (@nestjs/event-emitter's key). */
const EVENT_LISTENER_METADATA = 'EVENT_LISTENER_METADATA';

/**
 * An EventEmitter2 that subscribes the @OnEvent() methods of the instances given, as
 * EventEmitterModule does in the application: a listener runs only if its decorator is there.
 * `emitAsync` waits for async listeners.
 */
export class EventBus extends EventEmitter2 {
  subscribe(...instances: object[]): this {
    for (const instance of instances) {
      const prototype = Object.getPrototypeOf(instance) as Record<string, unknown>;
      for (const name of Object.getOwnPropertyNames(prototype)) {
        const method = prototype[name];
        if (typeof method !== 'function') continue;
        const listeners = (Reflect.getMetadata(EVENT_LISTENER_METADATA, method) ?? []) as {
          event: string;
        }[];
        for (const { event } of listeners) {
          this.on(event, (payload: unknown) =>
            (method as (p: unknown) => unknown).call(instance, payload),
          );
        }
      }
    }
    return this;
  }
}
