import { describe, expect, it } from "vitest";
import type { NodeRow, ServiceRow, TaskRow } from "../lib/backend/backend";
import {
  nodeActions,
  nodeCommand,
  progress,
  rolling,
  rows,
  stacksOf,
  stateTone,
  tolerated,
  updateKey,
} from "./swarm";

const task = (over: Partial<TaskRow>): TaskRow => ({
  id: "t",
  name: "web.1",
  slot: 1,
  nodeId: "n1",
  node: "node1",
  desired: "running",
  state: "running",
  message: "",
  error: null,
  exitCode: null,
  image: "web:1",
  containerId: null,
  since: "",
  current: false,
  ...over,
});

const service = (over: Partial<ServiceRow>): ServiceRow =>
  ({
    id: "s",
    name: "web",
    mode: "replicated",
    replicas: 3,
    running: 3,
    desired: 3,
    image: "web:1",
    digest: null,
    args: [],
    env: [],
    ports: [],
    update: null,
    policy: { parallelism: 1, delay: "", failureAction: "pause", order: "stop-first", monitor: "5s" },
    canRollBack: false,
    stack: null,
    secrets: [],
    configs: [],
    labels: {},
    created: "",
    updated: "",
    ...over,
  }) as ServiceRow;

describe("a rolling update's progress", () => {
  it("counts the running tasks on the new spec, not the history", () => {
    const tasks = [
      task({ id: "a", current: true }),
      task({ id: "b", slot: 2, current: false }),
      task({ id: "c", slot: 3, current: true, state: "starting" }),
      task({ id: "old", desired: "shutdown", state: "shutdown", current: false }),
    ];
    expect(progress(service({ desired: 3 }), tasks)).toEqual({ updated: 1, total: 3 });
    expect(
      rolling(service({ update: { state: "updating", started: null, completed: null, message: null } })),
    ).toBe(true);
    expect(
      rolling(service({ update: { state: "completed", started: null, completed: null, message: null } })),
    ).toBe(false);
  });
});

describe("stacks", () => {
  it("groups services by their stack label and sums their tasks", () => {
    const st = stacksOf([
      service({ name: "shop_front", stack: "shop", running: 2, desired: 2 }),
      service({ name: "lone", stack: null }),
      service({ name: "shop_back", stack: "shop", running: 0, desired: 1 }),
    ]);
    expect(st).toEqual([{ name: "shop", services: ["shop_front", "shop_back"], running: 2, desired: 3 }]);
  });
});

describe("nodes", () => {
  it("keeps a quorum: a majority of the managers", () => {
    expect([1, 2, 3, 4, 5, 7].map(tolerated)).toEqual([0, 0, 1, 1, 2, 3]);
    expect(tolerated(0)).toBe(0);
  });
  it("offers what a node is not yet", () => {
    const n = { availability: "active", role: "worker" } as NodeRow;
    expect(nodeActions(n)).toEqual(["pause", "drain", "promote"]);
    expect(nodeActions({ ...n, availability: "drain", role: "manager" })).toEqual([
      "activate",
      "pause",
      "demote",
    ]);
    expect(nodeCommand("drain", "node3")).toBe("docker node update --availability drain node3");
    expect(nodeCommand("promote", "node3")).toBe("docker node promote node3");
  });
});

describe("words", () => {
  it("reads rows and tells states apart", () => {
    expect(rows(" A=1 \n\n B=2\n")).toEqual(["A=1", "B=2"]);
    expect(stateTone("rejected")).toBe("bad");
    expect(stateTone("preparing")).toBe("busy");
    expect(stateTone("running")).toBe("ok");
    expect(updateKey("rollback_completed")).toBe("swarm.update.rollback_completed");
    expect(updateKey("something new")).toBeNull();
  });
});
