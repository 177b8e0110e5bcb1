// The subset of SAPIENT (BSI Flex 335 v2.0) the console speaks, written here from the standard's public field
// numbers and enum values: the envelope and the messages a sensor node and a fusion node exchange while the
// node reports (Registration, RegistrationAck, StatusReport, DetectionReport, Alert, Error). Tasking (Task,
// TaskAck, AlertAck) is left out: the console does not task sensors. Field numbers, names and enum values
// follow the standard so that a real node's messages decode; what is absent here is skipped as an unknown
// field by protobuf, never misread.
import protobuf from 'protobufjs';

export const SAPIENT_PACKAGE = 'sapient_msg.bsi_flex_335_v2_0';
export const SAPIENT_ICD_VERSION = 'BSI Flex 335 v2.0';

const PROTO = `
syntax = "proto3";
package ${SAPIENT_PACKAGE};

// google.protobuf.Timestamp, defined locally: same fields and wire form.
message Timestamp {
  optional int64 seconds = 1;
  optional int32 nanos = 2;
}

message SapientMessage {
  optional Timestamp timestamp = 1;
  optional string node_id = 2;
  optional string destination_id = 3;
  oneof content {
    Registration registration = 4;
    RegistrationAck registration_ack = 5;
    StatusReport status_report = 6;
    DetectionReport detection_report = 7;
    Alert alert = 10;
    Error error = 12;
  }
  optional string additional_information = 13;
}

enum LocationCoordinateSystem {
  LOCATION_COORDINATE_SYSTEM_UNSPECIFIED = 0;
  LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M = 1;
  LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M = 2;
  LOCATION_COORDINATE_SYSTEM_UTM_M = 5;
}

enum LocationDatum {
  LOCATION_DATUM_UNSPECIFIED = 0;
  LOCATION_DATUM_WGS84_E = 1;
  LOCATION_DATUM_WGS84_G = 2;
}

message Location {
  optional double x = 1;
  optional double y = 2;
  optional double z = 3;
  optional double x_error = 4;
  optional double y_error = 5;
  optional double z_error = 6;
  optional LocationCoordinateSystem coordinate_system = 7;
  optional LocationDatum datum = 8;
  optional string utm_zone = 9;
}

enum RangeBearingCoordinateSystem {
  RANGE_BEARING_COORDINATE_SYSTEM_UNSPECIFIED = 0;
  RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_M = 1;
  RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_M = 2;
  RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_KM = 3;
  RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_KM = 4;
}

enum RangeBearingDatum {
  RANGE_BEARING_DATUM_UNSPECIFIED = 0;
  RANGE_BEARING_DATUM_TRUE = 1;
  RANGE_BEARING_DATUM_MAGNETIC = 2;
  RANGE_BEARING_DATUM_GRID = 3;
}

message RangeBearing {
  optional double elevation = 1;
  optional double azimuth = 2;
  optional double range = 3;
  optional double elevation_error = 4;
  optional double azimuth_error = 5;
  optional double range_error = 6;
  optional RangeBearingCoordinateSystem coordinate_system = 7;
  optional RangeBearingDatum datum = 8;
}

message ENUVelocity {
  optional double east_rate = 1;
  optional double north_rate = 2;
  optional double up_rate = 3;
  optional double east_rate_error = 4;
  optional double north_rate_error = 5;
  optional double up_rate_error = 6;
}

message Registration {
  repeated NodeDefinition node_definition = 1;
  optional string icd_version = 2;
  optional string name = 3;
  optional string short_name = 4;
  repeated Capability capabilities = 5;
  optional StatusDefinition status_definition = 6;
  repeated ModeDefinition mode_definition = 7;
  repeated ConfigurationData config_data = 10;

  enum NodeType {
    NODE_TYPE_UNSPECIFIED = 0;
    NODE_TYPE_OTHER = 1;
    NODE_TYPE_RADAR = 2;
    NODE_TYPE_LIDAR = 3;
    NODE_TYPE_CAMERA = 4;
    NODE_TYPE_ACOUSTIC = 6;
    NODE_TYPE_PASSIVE_RF = 8;
    NODE_TYPE_HUMAN = 9;
    NODE_TYPE_JAMMER = 14;
    NODE_TYPE_FUSION_NODE = 20;
  }
  message NodeDefinition {
    optional NodeType node_type = 1;
    repeated string node_sub_type = 2;
  }
  message Capability {
    optional string category = 1;
    optional string type = 2;
    optional string value = 3;
    optional string units = 4;
  }
  enum TimeUnits {
    TIME_UNITS_UNSPECIFIED = 0;
    TIME_UNITS_NANOSECONDS = 1;
    TIME_UNITS_MICROSECONDS = 2;
    TIME_UNITS_MILLISECONDS = 3;
    TIME_UNITS_SECONDS = 4;
    TIME_UNITS_MINUTES = 5;
    TIME_UNITS_HOURS = 6;
    TIME_UNITS_DAYS = 7;
  }
  message Duration {
    optional TimeUnits units = 1;
    optional float value = 3;
  }
  message LocationType {
    oneof coordinates_oneof {
      LocationCoordinateSystem location_units = 1;
      RangeBearingCoordinateSystem range_bearing_units = 2;
    }
    oneof datum_oneof {
      LocationDatum location_datum = 3;
      RangeBearingDatum range_bearing_datum = 4;
    }
    optional string zone = 5;
  }
  message StatusDefinition {
    optional Duration status_interval = 1;
    optional LocationType location_definition = 2;
  }
  enum ModeType {
    MODE_TYPE_UNSPECIFIED = 0;
    MODE_TYPE_PERMANENT = 1;
    MODE_TYPE_TEMPORARY = 2;
    MODE_TYPE_DEFAULT = 3;
  }
  enum ScanType {
    SCAN_TYPE_UNSPECIFIED = 0;
    SCAN_TYPE_FIXED = 1;
    SCAN_TYPE_SCANNING = 2;
    SCAN_TYPE_STEERABLE = 3;
  }
  enum TrackingType {
    TRACKING_TYPE_UNSPECIFIED = 0;
    TRACKING_TYPE_NONE = 1;
    TRACKING_TYPE_TRACKLET = 2;
    TRACKING_TYPE_TRACK = 3;
    TRACKING_TYPE_TRACK_WITH_RE_ID = 4;
  }
  message ClassDefinition {
    optional string type = 1;
    optional string units = 2;
  }
  message DetectionClassDefinition {
    repeated ClassDefinition class_definition = 3;
  }
  message DetectionDefinition {
    optional LocationType location_type = 1;
    repeated DetectionClassDefinition detection_class_definition = 4;
  }
  message ModeDefinition {
    optional string mode_name = 1;
    optional ModeType mode_type = 2;
    optional string mode_description = 3;
    optional Duration settle_time = 4;
    optional Duration maximum_latency = 5;
    optional ScanType scan_type = 6;
    optional TrackingType tracking_type = 7;
    repeated DetectionDefinition detection_definition = 10;
  }
  message ConfigurationData {
    optional string manufacturer = 1;
    optional string model = 2;
    optional string serial_number = 3;
    optional string hardware_version = 4;
    optional string software_version = 5;
  }
}

message RegistrationAck {
  optional bool acceptance = 1;
  repeated string ack_response_reason = 3;
}

message StatusReport {
  optional string report_id = 1;
  optional System system = 2;
  optional Info info = 3;
  optional string active_task_id = 4;
  optional string mode = 5;
  optional Power power = 6;
  optional Location node_location = 7;
  repeated Status status = 11;

  enum System {
    SYSTEM_UNSPECIFIED = 0;
    SYSTEM_OK = 1;
    SYSTEM_WARNING = 2;
    SYSTEM_ERROR = 3;
    SYSTEM_GOODBYE = 5;
  }
  enum Info {
    INFO_UNSPECIFIED = 0;
    INFO_NEW = 1;
    INFO_UNCHANGED = 2;
  }
  enum PowerSource {
    POWERSOURCE_UNSPECIFIED = 0;
    POWERSOURCE_OTHER = 1;
    POWERSOURCE_MAINS = 2;
    POWERSOURCE_INTERNAL_BATTERY = 3;
    POWERSOURCE_EXTERNAL_BATTERY = 4;
    POWERSOURCE_GENERATOR = 5;
  }
  enum PowerStatus {
    POWERSTATUS_UNSPECIFIED = 0;
    POWERSTATUS_OK = 1;
    POWERSTATUS_FAULT = 2;
  }
  message Power {
    optional int32 level = 3;
    optional PowerSource source = 4;
    optional PowerStatus status = 5;
  }
  enum StatusLevel {
    STATUS_LEVEL_UNSPECIFIED = 0;
    STATUS_LEVEL_INFORMATION_STATUS = 2;
    STATUS_LEVEL_WARNING_STATUS = 3;
    STATUS_LEVEL_ERROR_STATUS = 4;
  }
  enum StatusType {
    STATUS_TYPE_UNSPECIFIED = 0;
    STATUS_TYPE_INTERNAL_FAULT = 1;
    STATUS_TYPE_EXTERNAL_FAULT = 2;
    STATUS_TYPE_WEATHER = 4;
    STATUS_TYPE_CLUTTER = 5;
    STATUS_TYPE_NOT_DETECTING = 11;
    STATUS_TYPE_OTHER = 13;
  }
  message Status {
    optional StatusLevel status_level = 1;
    optional string status_value = 3;
    optional StatusType status_type = 4;
  }
}

message DetectionReport {
  optional string report_id = 1;
  optional string object_id = 2;
  optional string task_id = 3;
  optional string state = 4;
  oneof location_oneof {
    RangeBearing range_bearing = 5;
    Location location = 6;
  }
  optional float detection_confidence = 7;
  repeated DetectionReportClassification classification = 11;
  oneof velocity_oneof {
    ENUVelocity enu_velocity = 19;
  }
  optional string colour = 22;
  optional string id = 23;

  message SubClass {
    optional string type = 1;
    optional float confidence = 2;
    optional int32 level = 3;
    repeated SubClass sub_class = 4;
  }
  message DetectionReportClassification {
    optional string type = 1;
    optional float confidence = 2;
    repeated SubClass sub_class = 3;
  }
}

message Alert {
  optional string alert_id = 1;
  optional AlertType alert_type = 2;
  optional AlertStatus status = 3;
  optional string description = 4;
  oneof location_oneof {
    RangeBearing range_bearing = 5;
    Location location = 6;
  }
  optional DiscretePriority priority = 8;
  optional float ranking = 9;
  optional float confidence = 10;
  optional string additional_information = 13;

  enum AlertType {
    ALERT_TYPE_UNSPECIFIED = 0;
    ALERT_TYPE_INFORMATION = 1;
    ALERT_TYPE_WARNING = 2;
    ALERT_TYPE_CRITICAL = 3;
    ALERT_TYPE_ERROR = 4;
    ALERT_TYPE_FATAL = 5;
    ALERT_TYPE_MODE_CHANGE = 6;
  }
  enum AlertStatus {
    ALERT_STATUS_UNSPECIFIED = 0;
    ALERT_STATUS_ACTIVE = 1;
    ALERT_STATUS_ACKNOWLEDGE = 2;
    ALERT_STATUS_REJECT = 3;
    ALERT_STATUS_IGNORE = 4;
    ALERT_STATUS_CLEAR = 5;
  }
  enum DiscretePriority {
    DISCRETE_PRIORITY_UNSPECIFIED = 0;
    DISCRETE_PRIORITY_LOW = 1;
    DISCRETE_PRIORITY_MEDIUM = 2;
    DISCRETE_PRIORITY_HIGH = 3;
  }
}

message Error {
  optional bytes packet = 1;
  repeated string error_message = 3;
}
`;

/** The parsed schema; field names become camelCase (node_id → nodeId), as the TypeScript types below. */
export const sapientRoot = protobuf.parse(PROTO).root;
export const SapientMessageType = sapientRoot.lookupType(`${SAPIENT_PACKAGE}.SapientMessage`);

// ---- The TypeScript shape of the decoded messages (enums as their names, int64 as numbers). ----

export interface SapientTimestamp {
  seconds: number;
  nanos?: number;
}

export type LocationCoordinateSystem =
  | 'LOCATION_COORDINATE_SYSTEM_UNSPECIFIED' | 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_DEG_M' | 'LOCATION_COORDINATE_SYSTEM_LAT_LNG_RAD_M'
  | 'LOCATION_COORDINATE_SYSTEM_UTM_M';
export type LocationDatum = 'LOCATION_DATUM_UNSPECIFIED' | 'LOCATION_DATUM_WGS84_E' | 'LOCATION_DATUM_WGS84_G';

export interface SapientLocation {
  /** Longitude (in LAT_LNG_DEG_M). */
  x: number;
  /** Latitude. */
  y: number;
  /** Altitude, metres. */
  z?: number;
  xError?: number;
  yError?: number;
  zError?: number;
  coordinateSystem: LocationCoordinateSystem;
  datum: LocationDatum;
  utmZone?: string;
}

export type RangeBearingCoordinateSystem =
  | 'RANGE_BEARING_COORDINATE_SYSTEM_UNSPECIFIED' | 'RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_M' | 'RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_M'
  | 'RANGE_BEARING_COORDINATE_SYSTEM_DEGREES_KM' | 'RANGE_BEARING_COORDINATE_SYSTEM_RADIANS_KM';
export type RangeBearingDatum = 'RANGE_BEARING_DATUM_UNSPECIFIED' | 'RANGE_BEARING_DATUM_TRUE' | 'RANGE_BEARING_DATUM_MAGNETIC' | 'RANGE_BEARING_DATUM_GRID';

export interface SapientRangeBearing {
  elevation?: number;
  azimuth?: number;
  range?: number;
  elevationError?: number;
  azimuthError?: number;
  rangeError?: number;
  coordinateSystem: RangeBearingCoordinateSystem;
  datum: RangeBearingDatum;
}

export interface EnuVelocity {
  eastRate: number;
  northRate: number;
  upRate?: number;
  eastRateError?: number;
  northRateError?: number;
  upRateError?: number;
}

export type NodeType =
  | 'NODE_TYPE_UNSPECIFIED' | 'NODE_TYPE_OTHER' | 'NODE_TYPE_RADAR' | 'NODE_TYPE_LIDAR' | 'NODE_TYPE_CAMERA' | 'NODE_TYPE_ACOUSTIC'
  | 'NODE_TYPE_PASSIVE_RF' | 'NODE_TYPE_HUMAN' | 'NODE_TYPE_JAMMER' | 'NODE_TYPE_FUSION_NODE';
export type TimeUnits =
  | 'TIME_UNITS_UNSPECIFIED' | 'TIME_UNITS_NANOSECONDS' | 'TIME_UNITS_MICROSECONDS' | 'TIME_UNITS_MILLISECONDS' | 'TIME_UNITS_SECONDS'
  | 'TIME_UNITS_MINUTES' | 'TIME_UNITS_HOURS' | 'TIME_UNITS_DAYS';

export interface SapientDuration {
  units: TimeUnits;
  value: number;
}

export interface LocationType {
  locationUnits?: LocationCoordinateSystem;
  rangeBearingUnits?: RangeBearingCoordinateSystem;
  locationDatum?: LocationDatum;
  rangeBearingDatum?: RangeBearingDatum;
  zone?: string;
}

export interface Registration {
  nodeDefinition: { nodeType: NodeType; nodeSubType?: string[] }[];
  icdVersion: string;
  name?: string;
  shortName?: string;
  capabilities: { category: string; type: string; value?: string; units?: string }[];
  statusDefinition?: { statusInterval: SapientDuration; locationDefinition?: LocationType };
  modeDefinition?: {
    modeName: string;
    modeType: 'MODE_TYPE_UNSPECIFIED' | 'MODE_TYPE_PERMANENT' | 'MODE_TYPE_TEMPORARY' | 'MODE_TYPE_DEFAULT';
    modeDescription?: string;
    settleTime: SapientDuration;
    maximumLatency?: SapientDuration;
    scanType?: 'SCAN_TYPE_UNSPECIFIED' | 'SCAN_TYPE_FIXED' | 'SCAN_TYPE_SCANNING' | 'SCAN_TYPE_STEERABLE';
    trackingType?: 'TRACKING_TYPE_UNSPECIFIED' | 'TRACKING_TYPE_NONE' | 'TRACKING_TYPE_TRACKLET' | 'TRACKING_TYPE_TRACK' | 'TRACKING_TYPE_TRACK_WITH_RE_ID';
    detectionDefinition?: { locationType: LocationType; detectionClassDefinition?: { classDefinition: { type: string; units?: string }[] }[] }[];
  }[];
  configData?: { manufacturer: string; model: string; serialNumber?: string; hardwareVersion?: string; softwareVersion?: string }[];
}

export interface RegistrationAck {
  acceptance: boolean;
  ackResponseReason?: string[];
}

export type StatusSystem = 'SYSTEM_UNSPECIFIED' | 'SYSTEM_OK' | 'SYSTEM_WARNING' | 'SYSTEM_ERROR' | 'SYSTEM_GOODBYE';
export type StatusInfo = 'INFO_UNSPECIFIED' | 'INFO_NEW' | 'INFO_UNCHANGED';

export interface StatusReport {
  reportId: string;
  system: StatusSystem;
  info: StatusInfo;
  activeTaskId?: string;
  mode: string;
  power?: {
    level?: number;
    source?: 'POWERSOURCE_UNSPECIFIED' | 'POWERSOURCE_OTHER' | 'POWERSOURCE_MAINS' | 'POWERSOURCE_INTERNAL_BATTERY' | 'POWERSOURCE_EXTERNAL_BATTERY' | 'POWERSOURCE_GENERATOR';
    status?: 'POWERSTATUS_UNSPECIFIED' | 'POWERSTATUS_OK' | 'POWERSTATUS_FAULT';
  };
  nodeLocation?: SapientLocation;
  status?: {
    statusLevel?: 'STATUS_LEVEL_UNSPECIFIED' | 'STATUS_LEVEL_INFORMATION_STATUS' | 'STATUS_LEVEL_WARNING_STATUS' | 'STATUS_LEVEL_ERROR_STATUS';
    statusValue?: string;
    statusType: 'STATUS_TYPE_UNSPECIFIED' | 'STATUS_TYPE_INTERNAL_FAULT' | 'STATUS_TYPE_EXTERNAL_FAULT' | 'STATUS_TYPE_WEATHER' | 'STATUS_TYPE_CLUTTER' | 'STATUS_TYPE_NOT_DETECTING' | 'STATUS_TYPE_OTHER';
  }[];
}

export interface SapientSubClass {
  type: string;
  confidence?: number;
  level: number;
  subClass?: SapientSubClass[];
}

export interface SapientClassification {
  type: string;
  confidence?: number;
  subClass?: SapientSubClass[];
}

export interface DetectionReport {
  /** A ULID, new for every report. */
  reportId: string;
  /** A ULID, the same for one object across reports. */
  objectId: string;
  taskId?: string;
  /** A special case in effect, e.g. 'lost'. */
  state?: string;
  rangeBearing?: SapientRangeBearing;
  location?: SapientLocation;
  /** 0–1. */
  detectionConfidence?: number;
  classification?: SapientClassification[];
  enuVelocity?: EnuVelocity;
  colour?: string;
  /** The object's own id when the sensor reads one (e.g. a tail number). */
  id?: string;
}

export type AlertType =
  | 'ALERT_TYPE_UNSPECIFIED' | 'ALERT_TYPE_INFORMATION' | 'ALERT_TYPE_WARNING' | 'ALERT_TYPE_CRITICAL' | 'ALERT_TYPE_ERROR'
  | 'ALERT_TYPE_FATAL' | 'ALERT_TYPE_MODE_CHANGE';

export interface Alert {
  alertId: string;
  alertType?: AlertType;
  status?: 'ALERT_STATUS_UNSPECIFIED' | 'ALERT_STATUS_ACTIVE' | 'ALERT_STATUS_ACKNOWLEDGE' | 'ALERT_STATUS_REJECT' | 'ALERT_STATUS_IGNORE' | 'ALERT_STATUS_CLEAR';
  description?: string;
  rangeBearing?: SapientRangeBearing;
  location?: SapientLocation;
  priority?: 'DISCRETE_PRIORITY_UNSPECIFIED' | 'DISCRETE_PRIORITY_LOW' | 'DISCRETE_PRIORITY_MEDIUM' | 'DISCRETE_PRIORITY_HIGH';
  ranking?: number;
  confidence?: number;
  additionalInformation?: string;
}

export interface SapientErrorMessage {
  /** The packet that caused the error. */
  packet: Uint8Array;
  errorMessage?: string[];
}

/** What a SapientMessage carries: exactly one of these, named by `content`. */
export type SapientContent =
  | { content: 'registration'; registration: Registration }
  | { content: 'registrationAck'; registrationAck: RegistrationAck }
  | { content: 'statusReport'; statusReport: StatusReport }
  | { content: 'detectionReport'; detectionReport: DetectionReport }
  | { content: 'alert'; alert: Alert }
  | { content: 'error'; error: SapientErrorMessage };
export type SapientContentName = SapientContent['content'];

export type SapientMessage = {
  timestamp: SapientTimestamp;
  /** UUID of the node sending the message. */
  nodeId: string;
  /** UUID of the node it is addressed to. */
  destinationId?: string;
  additionalInformation?: string;
} & SapientContent;
