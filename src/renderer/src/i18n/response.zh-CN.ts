// The response words (zh-CN). Owned by the response feature.
const zh = {
  title: '',
};

export default zh;
