// The incidents words (zh-CN). Owned by the incidents feature.
const zh = {
  title: '',
};

export default zh;
