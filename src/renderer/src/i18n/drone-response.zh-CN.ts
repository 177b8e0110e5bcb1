// The response to a drone alarm (空管/净空办 notified, runway suspended, unit sent), permits, runways in use.
export default {
  title: '无人机处置',
};
