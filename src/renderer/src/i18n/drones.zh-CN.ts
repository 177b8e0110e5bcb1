// Drone tracks on the map and their card: threat levels and reasons, identity, history (owned by the drone-map work).
export default {
  level: { 0: '无威胁', 1: '低', 2: '中', 3: '高', 4: '严重' },
};
