# Interfaces workerd speaks over Cap'n Proto RPC: the debug port bootstrap,
# event dispatch, JS RPC, tail streams. Restated for wire compatibility from
# upstream cloudflare/workerd src/workerd/io/worker-interface.capnp (all
# types kept, so nested IDs, layouts and method ordinals match upstream).
# Imports point at this directory instead of upstream's /workerd/io/.

@0xf7958855f6746344;

using Cxx = import "/capnp/c++.capnp";
$Cxx.namespace("workerd::rpc");

using import "/capnp/compat/http-over-capnp.capnp".HttpMethod;
using import "/capnp/compat/http-over-capnp.capnp".HttpService;
using import "/capnp/compat/byte-stream.capnp".ByteStream;
using import "/workerd/outcome.capnp".EventOutcome;
using import "/workerd/script-version.capnp".ScriptVersion;
using import "/workerd/trace.capnp".TagValue;
using import "/workerd/trace.capnp".UserSpanData;
using import "/workerd/frankenvalue.capnp".Frankenvalue;

struct TraceId {
  high @0 :UInt64;
  low @1 :UInt64;
}

struct TraceFlags {
  # W3C trace flags; `unset` means no upstream sampling decision.
  value :union {
    unset @0 :Void;
    set @1 :UInt8;
  }
}

struct InvocationSpanContext {
  traceId @0 :TraceId;
  invocationId @1 :TraceId;
  spanId @2 :UInt64;
  traceFlags @3 :TraceFlags;
}

struct SpanContext {
  traceId @0 :TraceId;
  info :union {
    empty @1 :Void;
    spanId @2 :UInt64;
  }
  traceFlags @3 :TraceFlags;
}

struct Trace @0x8e8d911203762d34 {
  logs @0 :List(Log);
  struct Log {
    timestampNs @0 :Int64;

    logLevel @1 :Level;
    enum Level {
      debug @0 $Cxx.name("debug_");
      info @1;
      log @2;
      warn @3;
      error @4;
    }

    message @2 :Text;
    errorInfo @3 :List(ErrorInfoSlot);
    # One slot per console argument; `none` where it was not an Error.
    truncated @4 :Bool;
  }

  struct ErrorInfo {
    name @0 :Text;
    message @1 :Text;
    stack @2 :Text;
  }

  struct ErrorInfoSlot {
    union {
      none @0 :Void;
      info @1 :ErrorInfo;
    }
  }

  obsolete26 @26 :List(UserSpanData);

  exceptions @1 :List(Exception);
  struct Exception {
    timestampNs @0 :Int64;
    name @1 :Text;
    message @2 :Text;
    stack @3 :Text;
    code :union {
      none @4 :Void;
      text @5 :Text;
      number @6 :Float64;
    }
  }

  outcome @2 :EventOutcome;
  scriptName @4 :Text;
  scriptVersion @19 :ScriptVersion;
  scriptId @23 :Text;

  eventTimestampNs @5 :Int64;

  eventInfo :union {
    none @3 :Void;
    fetch @6 :FetchEventInfo;
    jsRpc @21 :JsRpcEventInfo;
    scheduled @7 :ScheduledEventInfo;
    alarm @9 :AlarmEventInfo;
    queue @15 :QueueEventInfo;
    custom @13 :CustomEventInfo;
    email @16 :EmailEventInfo;
    trace @18 :TraceEventInfo;
    hibernatableWebSocket @20 :HibernatableWebSocketEventInfo;
    connect @29 :ConnectEventInfo;
  }
  struct FetchEventInfo {
    method @0 :HttpMethod;
    url @1 :Text;
    cfJson @2 :Text;
    headers @3 :List(Header);
    struct Header {
      name @0 :Text;
      value @1 :Text;
    }
  }

  struct JsRpcEventInfo {
    methodName @0 :Text;
  }

  struct ConnectEventInfo {
  }

  struct ScheduledEventInfo {
    scheduledTime @0 :Float64;
    cron @1 :Text;
  }

  struct AlarmEventInfo {
    scheduledTimeMs @0 :Int64;
  }

  struct QueueEventInfo {
    queueName @0 :Text;
    batchSize @1 :UInt32;
  }

  struct EmailEventInfo {
    mailFrom @0 :Text;
    rcptTo @1 :Text;
    rawSize @2 :UInt32;
  }

  struct TracePreviewInfo {
    id @0 :Text;
    slug @1 :Text;
    name @2 :Text;
  }

  struct TraceEventInfo {
    struct TraceItem {
      scriptName @0 :Text;
    }

    traces @0 :List(TraceItem);
  }

  struct HibernatableWebSocketEventInfo {
    type :union {
      message @0 :Void;
      close :group {
        code @1 :UInt16;
        wasClean @2 :Bool;
      }
      error @3 :Void;
    }
  }

  struct CustomEventInfo {}

  response @8 :FetchResponseInfo;
  struct FetchResponseInfo {
    statusCode @0 :UInt16;
  }

  cpuTime @10 :UInt64;
  wallTime @11 :UInt64;

  dispatchNamespace @12 :Text;
  scriptTags @14 :List(Text);

  entrypoint @22 :Text;
  preview @30 :TracePreviewInfo;
  durableObjectId @27 :Text;
  tailAttributes @28 :List(Attribute);

  diagnosticChannelEvents @17 :List(DiagnosticChannelEvent);
  struct DiagnosticChannelEvent {
    timestampNs @0 :Int64;
    channel @1 :Text;
    message @2 :Data;
  }

  struct DroppedEvents {
    count @0 :UInt32;
  }

  struct StreamDiagnosticsEvent {
    diagnostic :union {
      undefined @0 :Void;
      droppedEvents @1 :DroppedEvents;
    }
  }

  truncated @24 :Bool;

  enum ExecutionModel {
    stateless @0;
    durableObject @1;
    workflow @2;
  }
  executionModel @25 :ExecutionModel;

  # Streaming tail worker event types.

  struct Attribute {
    name @0 :Text;
    value @1 :List(TagValue);
  }

  struct Return {
    info :union {
      empty @0 :Void;
      fetch @1 :FetchResponseInfo;
    }
  }

  struct SpanOpen {
    operationName @0 :Text;
    spanId @1 :UInt64;
    info :union {
      empty @2 :Void;
      custom @3 :List(Attribute);
      fetch @4 :FetchEventInfo;
      jsRpc @5 :JsRpcEventInfo;
    }
  }

  struct SpanClose {
    outcome @0 :EventOutcome;
  }

  struct Onset {
    executionModel @0 :ExecutionModel;
    scriptName @1 :Text;
    scriptVersion @2 :ScriptVersion;
    dispatchNamespace @3 :Text;
    scriptId @4 :Text;
    scriptTags @5 :List(Text);
    entryPoint @6 :Text;
    preview @10 :TracePreviewInfo;
    durableObjectId @11 :Text;

    struct Info {
      union {
        fetch @0 :FetchEventInfo;
        jsRpc @1 :JsRpcEventInfo;
        scheduled @2 :ScheduledEventInfo;
        alarm @3 :AlarmEventInfo;
        queue @4 :QueueEventInfo;
        email @5 :EmailEventInfo;
        trace @6 :TraceEventInfo;
        hibernatableWebSocket @7 :HibernatableWebSocketEventInfo;
        connect @9 :ConnectEventInfo;
        custom @8 :CustomEventInfo;
      }
    }
    info @7 :Info;
    spanId @8 :UInt64;
    attributes @9 :List(Attribute);
  }

  struct Outcome {
    outcome @0 :EventOutcome;
    cpuTime @1 :UInt64;
    wallTime @2 :UInt64;
  }

  struct TailEvent {
    spanContext @0 :SpanContext;
    invocationId @1 :TraceId;
    timestampNs @2 :Int64;
    sequence @3 :UInt32;
    event :union {
      onset @4 :Onset;
      outcome @5 :Outcome;
      spanOpen @6 :SpanOpen;
      spanClose @7 :SpanClose;
      attribute @8 :List(Attribute);
      return @9 :Return;
      diagnosticChannelEvent @10 :DiagnosticChannelEvent;
      exception @11 :Exception;
      log @12 :Log;
      streamDiagnostics @13 :StreamDiagnosticsEvent;
    }
  }
}

struct SendTracesRun @0xde913ebe8e1b82a5 {
  outcome @0 :EventOutcome;
}

struct ScheduledRun @0xd98fc1ae5c8095d0 {
  outcome @0 :EventOutcome;
  retry @1 :Bool;
}

struct AlarmRun @0xfa8ea4e97e23b03d {
  outcome @0 :EventOutcome;
  retry @1 :Bool;
  retryCountsAgainstLimit @2 :Bool = true;
  errorDescription @3 :Text;
}

struct QueueMessage @0x944adb18c0352295 {
  id @0 :Text;
  timestampNs @1 :Int64;
  data @2 :Data;
  contentType @3 :Text;
  attempts @4 :UInt16;
}

struct QueueRetryBatch {
  retry @0 :Bool;
  union {
    undefined @1 :Void;
    delaySeconds @2 :Int32;
  }
}

struct QueueRetryMessage {
  msgId @0 :Text;
  union {
    undefined @1 :Void;
    delaySeconds @2 :Int32;
  }
}

struct QueueResponse @0x90e98932c0bfc0de {
  outcome @0 :EventOutcome;
  ackAll @1 :Bool;
  retryBatch @2 :QueueRetryBatch;
  explicitAcks @3 :List(Text);
  retryMessages @4 :List(QueueRetryMessage);
}

struct MessageBatchMetrics {
  backlogCount @0 :Float64;
  backlogBytes @1 :Float64;
  oldestMessageTimestamp @2 :Float64;
}

struct MessageBatchMetadata {
  metrics @0 :MessageBatchMetrics;
}

struct HibernatableWebSocketEventMessage {
  payload :union {
    text @0 :Text;
    data @1 :Data;
    close :group {
      code @2 :UInt16;
      reason @3 :Text;
      wasClean @4 :Bool;
    }
    error @5 :Text;
  }
  websocketId @6 :Text;
  eventTimeoutMs @7 :UInt32;
}

struct HibernatableWebSocketResponse {
  outcome @0 :EventOutcome;
}

interface HibernatableWebSocketEventDispatcher {
  hibernatableWebSocketEvent @0 (message :HibernatableWebSocketEventMessage)
      -> (result :HibernatableWebSocketResponse);
}

enum SerializationTag {
  # Host-object tags inside V8-serialized values.
  invalid @0;
  jsRpcStub @1;
  writableStream @2;
  readableStream @3;
  headers @4;
  request @5;
  response @6;
  domException @7;
  domExceptionV2 @8;
  abortSignal @9;
  nativeError @10;
  serviceStub @11;
  actorClass @12;
  r2Bucket @13;
  kvNamespace @14;
  blob @15;
  socket @16;
  wrappedBinding @17;
}

enum StreamEncoding {
  identity @0;
  gzip @1;
  brotli @2;
}

interface Handle {
  # No methods; dropping it is the signal.
}

struct JsValue {
  v8Serialized @0 :Data;
  # V8 serialization of the value.

  externals @1 :List(External);
  # Out-of-band resources the serialized bytes refer to, by index.

  struct External {
    enum SecureTransport {
      off @0;
      starttls @1;
      on @2;
    }

    union {
      invalid @0 :Void;

      rpcTarget :group {
        cap @1 :JsRpcTarget;
        union {
          channelToken @14 :Data;
          delayedChannelToken @15 :ExternalPusher.DelayedChannelToken;
        }
      }

      writableStream :group {
        byteStream @2 :ByteStream;
        encoding @3 :StreamEncoding;
      }

      readableStream :group {
        stream @10 :ExternalPusher.InputStream;
        encoding @4 :StreamEncoding;
        expectedLength :union {
          unknown @5 :Void;
          known @6 :UInt64;
        }
      }

      obsolete7 @7 :Void;

      abortSignal @11 :ExternalPusher.AbortSignal;

      subrequestChannelToken @8 :Data;
      actorClassChannelToken @9 :Data;

      delayedSubrequestChannelToken @12 :ExternalPusher.DelayedChannelToken;
      delayedActorClassChannelToken @13 :ExternalPusher.DelayedChannelToken;

      socket :group {
        remoteAddress @16 :Text;
        secureTransport @17 :SecureTransport;
        isDefaultFetchPort @18 :Bool;
        localAddress @19 :Text;
        allowHalfOpen @20 :Bool;
      }
    }
  }

  interface ExternalPusher {
    # Lets a sender create objects in the receiver's isolate ahead of the
    # JsValue that refers to them.

    pushByteStream @0 (lengthPlusOne :UInt64 = 0) -> (source :InputStream, sink :ByteStream);
    # `lengthPlusOne` is 0 when the length is unknown.

    interface InputStream {
    }

    pushAbortSignal @1 () -> (signal :AbortSignal, trigger :AbortTrigger);

    interface AbortSignal {
    }

    pushDelayedChannelToken @2 (token :Data) -> (cap :DelayedChannelToken);

    interface DelayedChannelToken {
    }
  }
}

interface AbortTrigger $Cxx.allowCancellation {
  abort @0 (reason :JsValue) -> ();
  release @1 () -> ();
}

interface JsRpcTarget extends(JsValue.ExternalPusher) $Cxx.allowCancellation {
  struct CallParams {
    union {
      methodName @0 :Text;
      methodPath @2 :List(Text);
      # Property path from the target to the method; empty calls the target.
    }

    operation :union {
      callWithArgs @1 :JsValue;
      # Always a JS array of arguments (null means no arguments).
      getProperty @3 :Void;
    }

    resultsStreamHandler :union {
      obsolete4 @4 :Capability;
      externalPusher @5 :JsValue.ExternalPusher;
    }

    callerSpanContext @6 :SpanContext;
  }

  struct CallResults {
    result @0 :JsValue;
    callPipeline @1 :JsRpcTarget;
    hasDisposer @2 :Bool;
    obsolete3 @3 :Capability;
  }

  call @0 CallParams -> CallResults;
}

interface JsRpcSession {
  # No methods; dropping it ends the session.
}

interface TailStreamTarget $Cxx.allowCancellation {
  struct TailStreamParams {
    events @0 :List(Trace.TailEvent);
  }

  struct TailStreamResults {
    stop @0 :Bool;
  }

  report @0 TailStreamParams -> TailStreamResults;
}

interface EventDispatcher @0xf20697475ec1752d {
  getHttpService @0 () -> (http :HttpService) $Cxx.allowCancellation;
  sendTraces @1 (traces :List(Trace)) -> (result :SendTracesRun) $Cxx.allowCancellation;
  prewarm @2 (url :Text) $Cxx.allowCancellation;
  runScheduled @3 (scheduledTime :Int64, cron :Text) -> (result :ScheduledRun)
      $Cxx.allowCancellation;
  runAlarm @4 (scheduledTime :Int64, retryCount :UInt32) -> (result :AlarmRun);
  queue @8 (messages :List(QueueMessage), queueName :Text, metadata :MessageBatchMetadata)
      -> (result :QueueResponse)
      $Cxx.allowCancellation;
  jsRpcSession @9 () -> (topLevel :JsRpcTarget, session :JsRpcSession) $Cxx.allowCancellation;
  tailStreamSession @10 () -> (topLevel :TailStreamTarget, result :EventOutcome) $Cxx.allowCancellation;

  obsolete5 @5 ();
  obsolete6 @6 ();
  obsolete7 @7 ();
  # Retired ordinals; never reuse.

  abandonAlarm @11 (scheduledTimeMs :Int64) -> (storedAlarmTimeMs :Int64) $Cxx.allowCancellation;
  restoreService @12 (params :Frankenvalue) -> (service :WorkerdBootstrap);
  restoreRpcStub @13 (params :Frankenvalue) -> (target :JsRpcTarget, session :JsRpcSession);
}

interface WorkerdBootstrap {
  startEvent @0 (cfBlobJson :Text, fromPersistentStub :Bool) -> (dispatcher :EventDispatcher);
  # Exactly one event should be delivered to the returned dispatcher.
}

interface WorkerdDebugPort {
  # Privileged bootstrap of workerd's debug port (any service, any props).

  getEntrypoint @0 (service :Text, entrypoint :Text, props :Frankenvalue)
              -> (entrypoint :WorkerdBootstrap);
  getActor @1 (service :Text, entrypoint :Text, actorId :Text, actorName :Text)
           -> (actor :WorkerdBootstrap);
}
