import { ApiProperty } from '@nestjs/swagger';
import type { SnapshotEntity } from '../snapshots/snapshot.entity';
import { mapSnapshot, SnapshotResponse } from '../snapshots/snapshot.response';

/** A node of `GET /vms/{id}/snapshots`. */
export class SnapshotNode extends SnapshotResponse {
  @ApiProperty({ type: () => [SnapshotNode] })
  children!: SnapshotNode[];
}

export class SnapshotTree {
  @ApiProperty({ type: [SnapshotNode], description: 'Snapshots without a parent, each with its subtree.' })
  roots!: SnapshotNode[];

  @ApiProperty({
    type: [SnapshotResponse],
    description: 'Every snapshot, flat, oldest first (parentId links).',
  })
  items!: SnapshotResponse[];
}

/** The snapshots of one VM (oldest first) as a tree by their parent links. */
export function mapSnapshotTree(snapshots: SnapshotEntity[]): SnapshotTree {
  const items = snapshots.map(mapSnapshot);
  const nodes = new Map(items.map((s) => [s.id, { ...s, children: [] as SnapshotNode[] }]));
  const roots: SnapshotNode[] = [];
  for (const n of nodes.values()) {
    const parent = n.parentId ? nodes.get(n.parentId) : undefined;
    if (parent) parent.children.push(n);
    else roots.push(n);
  }
  return { roots, items };
}
