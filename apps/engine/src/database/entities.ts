/** Every TypeORM entity of the engine, registered in one place so the schema check sees them all. */
export const entities: (new () => object)[] = [];
