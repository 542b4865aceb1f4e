export {
  type Recording,
  type RecordingOptions,
  recordingFileName,
  startRecording,
} from './asciicast.js';
export {
  type RecordingEntry,
  type RecordingStart,
  Recordings,
  type RecordingsOptions,
} from './recordings.js';
