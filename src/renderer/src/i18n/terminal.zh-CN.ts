// The terminal words (zh-CN). Owned by the terminal feature.
const zh = {
  title: '',
};

export default zh;
