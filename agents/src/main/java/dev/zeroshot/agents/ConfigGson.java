package dev.zeroshot.agents;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import dev.zeroshot.env.context.ContextOverrides;
import dev.zeroshot.env.context.LevelRange;
import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The Gson that writes and reads configs (config.json, checkpoint headers): a {@link LevelRange}
 * as its text {@code START:END}, {@link ContextOverrides} as an object {@code {"feature": value}}
 * (text {@code k=v,...}, as files written before the typed value hold it, reads too).
 */
final class ConfigGson {

  static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeSpecialFloatingPointValues()
      .registerTypeAdapter(LevelRange.class, new LevelRangeAdapter().nullSafe())
      .registerTypeAdapter(ContextOverrides.class, new OverridesAdapter().nullSafe())
      .create();

  private ConfigGson() {}

  private static final class LevelRangeAdapter extends TypeAdapter<LevelRange> {
    @Override
    public void write(JsonWriter out, LevelRange r) throws IOException {
      out.value(r.toString());
    }

    @Override
    public LevelRange read(JsonReader in) throws IOException {
      String s = in.nextString();
      return s.isBlank() ? null : LevelRange.parse(s);
    }
  }

  private static final class OverridesAdapter extends TypeAdapter<ContextOverrides> {
    @Override
    public void write(JsonWriter out, ContextOverrides o) throws IOException {
      out.beginObject();
      for (Map.Entry<String, Double> e : o.toMap().entrySet()) {
        out.name(e.getKey()).value(e.getValue());
      }
      out.endObject();
    }

    @Override
    public ContextOverrides read(JsonReader in) throws IOException {
      if (in.peek() == JsonToken.STRING) {
        return ContextOverrides.parse(in.nextString());
      }
      Map<String, Double> values = new LinkedHashMap<>();
      for (Map.Entry<String, JsonElement> e : JsonParser.parseReader(in).getAsJsonObject().entrySet()) {
        values.put(e.getKey(), e.getValue().getAsDouble());
      }
      return ContextOverrides.of(values);
    }
  }
}
