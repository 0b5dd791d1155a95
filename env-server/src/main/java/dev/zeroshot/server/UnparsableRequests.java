package dev.zeroshot.server;

import com.google.protobuf.Message;
import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.MethodDescriptor;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerMethodDefinition;
import io.grpc.ServerServiceDefinition;
import io.grpc.ServiceDescriptor;
import io.grpc.Status;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Answers a request whose bytes are not the method's message with INVALID_ARGUMENT. gRPC parses
 * a request before any handler or interceptor sees it, and a parse failure there becomes
 * {@code UNKNOWN: Application error processing RPC} with a stack trace in the log; so the
 * protobuf request marshaller of each method is wrapped to hand a failure on as a value
 * ({@link Unparsable}), and the call ends with the status when that value arrives.
 */
final class UnparsableRequests {

  private UnparsableRequests() {}

  /** A request that did not parse: the method's request type, the size and the parser's complaint. */
  private record Unparsable(String message) {}

  /** {@code service} with every protobuf-request method refusing unparsable requests as above. */
  static ServerServiceDefinition refused(ServerServiceDefinition service) {
    ServiceDescriptor old = service.getServiceDescriptor();
    ServiceDescriptor.Builder descriptor = ServiceDescriptor.newBuilder(old.getName())
        .setSchemaDescriptor(old.getSchemaDescriptor()); // reflection (grpcurl) reads the schema from here
    java.util.List<ServerMethodDefinition<?, ?>> methods = new java.util.ArrayList<>();
    for (ServerMethodDefinition<?, ?> m : service.getMethods()) {
      ServerMethodDefinition<?, ?> wrapped = wrap(m);
      methods.add(wrapped);
      descriptor.addMethod(wrapped.getMethodDescriptor());
    }
    ServerServiceDefinition.Builder b = ServerServiceDefinition.builder(descriptor.build());
    methods.forEach(b::addMethod);
    return b.build();
  }

  private static <Q, R> ServerMethodDefinition<?, R> wrap(ServerMethodDefinition<Q, R> def) {
    MethodDescriptor<Q, R> method = def.getMethodDescriptor();
    if (!(method.getRequestMarshaller() instanceof MethodDescriptor.PrototypeMarshaller<Q> proto)
        || !(proto.getMessagePrototype() instanceof Message prototype)) {
      return def; // parsed by the handler itself (the Session stream)
    }
    String type = prototype.getDescriptorForType().getFullName();
    MethodDescriptor<Object, R> lenient = method.toBuilder(new MethodDescriptor.Marshaller<Object>() {
      @Override
      @SuppressWarnings("unchecked")
      public InputStream stream(Object value) {
        return proto.stream((Q) value);
      }

      @Override
      public Object parse(InputStream stream) {
        byte[] bytes;
        try {
          bytes = stream.readAllBytes();
        } catch (IOException e) {
          return new Unparsable("the request could not be read: " + e.getMessage());
        }
        try {
          return proto.parse(new ByteArrayInputStream(bytes));
        } catch (RuntimeException e) {
          Throwable cause = e.getCause() == null ? e : e.getCause();
          return new Unparsable("request of " + bytes.length + " bytes is not a valid " + type + ": "
              + cause.getMessage());
        }
      }
    }, method.getResponseMarshaller()).build();
    ServerCallHandler<Q, R> handler = def.getServerCallHandler();
    return ServerMethodDefinition.create(lenient, new ServerCallHandler<Object, R>() {
      @Override
      @SuppressWarnings("unchecked")
      public ServerCall.Listener<Object> startCall(ServerCall<Object, R> call, Metadata headers) {
        // The handler sees only parsed requests, so it may take the call as one of Q.
        ServerCall.Listener<Q> listener = handler.startCall((ServerCall<Q, R>) (ServerCall<?, R>) call, headers);
        return new ForwardingServerCallListener.SimpleForwardingServerCallListener<Object>(
            (ServerCall.Listener<Object>) (ServerCall.Listener<?>) listener) {
          private boolean refused;

          @Override
          public void onMessage(Object request) {
            if (refused) {
              return;
            }
            if (request instanceof Unparsable u) {
              refused = true; // the handler sees nothing more of this call than its end
              call.close(Status.INVALID_ARGUMENT.withDescription(u.message()), new Metadata());
              return;
            }
            super.onMessage(request);
          }

          @Override
          public void onHalfClose() {
            if (!refused) {
              super.onHalfClose();
            }
          }

          @Override
          public void onReady() {
            if (!refused) {
              super.onReady();
            }
          }
        };
      }
    });
  }
}
