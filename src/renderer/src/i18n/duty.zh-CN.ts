// The duty words (zh-CN). Owned by the duty feature.
const zh = {
  title: '',
};

export default zh;
