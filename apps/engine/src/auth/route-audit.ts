import type { INestApplication } from '@nestjs/common';
import { METHOD_METADATA, PATH_METADATA } from '@nestjs/common/constants';
import { ModulesContainer } from '@nestjs/core';
import { ACCESS_KEY } from './access.decorator';

/** Every controller method that serves a route but declares no access rule (the guard refuses those
 * with 500; the route-matrix test lists them so a new route without a declaration fails CI). */
export function undeclaredRoutes(app: INestApplication): string[] {
  const missing: string[] = [];
  for (const mod of app.get(ModulesContainer).values()) {
    for (const ctrl of mod.controllers.values()) {
      const type = ctrl.metatype as (new (...args: never[]) => object) | null;
      if (!type?.prototype) continue;
      for (const key of methodNames(type.prototype as object)) {
        const fn = (type.prototype as Record<string, unknown>)[key];
        if (typeof fn !== 'function' || Reflect.getMetadata(METHOD_METADATA, fn) === undefined) continue;
        if (!Reflect.getMetadata(ACCESS_KEY, fn) && !Reflect.getMetadata(ACCESS_KEY, type))
          missing.push(`${type.name}.${key} (${String(Reflect.getMetadata(PATH_METADATA, fn))})`);
      }
    }
  }
  return missing;
}

function methodNames(proto: object): string[] {
  const names = new Set<string>();
  for (
    let p: object | null = proto;
    p && p !== Object.prototype;
    p = Object.getPrototypeOf(p) as object | null
  )
    for (const k of Object.getOwnPropertyNames(p)) if (k !== 'constructor') names.add(k);
  return [...names];
}
