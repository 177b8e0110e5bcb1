// The scenarios the drone-detection simulator can fly, by name: shared so that the core (a plan's drone-scenario
// inject) checks a name without importing the simulator.
export const SCENARIO_NAMES = [
  'approach-loiter', 'centreline-crossing', 'survey-permit', 'swarm', 'radar-only', 'bird-flock', 'random-traffic',
] as const;
export type ScenarioName = (typeof SCENARIO_NAMES)[number];
