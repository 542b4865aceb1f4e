// react-devtools-core is only for development; the bundle leaves it out.
export default {};
