package io.pinpipe.emulator;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Connections to the source database. The password comes only from the environment
 * ({@value #PASSWORD_ENV}), never from an option, so it stays out of shell history and logs.
 */
final class Database {
  static final String DEFAULT_URL = "jdbc:mariadb://127.0.0.1:3306/test";
  static final String DEFAULT_USER = "root";
  static final String PASSWORD_ENV = "PINPIPE_DB_PASSWORD";

  private Database() {}

  static Connection connect(String url, String user, Map<String, String> env) throws SQLException {
    Properties properties = new Properties();
    properties.setProperty("user", user);
    properties.setProperty("password", env.getOrDefault(PASSWORD_ENV, ""));
    try {
      return DriverManager.getConnection(url, properties);
    } catch (SQLException e) {
      // The driver's message names the host and the cause; never the password.
      throw new SQLException("cannot connect to the database at " + url + ": " + firstLine(e.getMessage()), e);
    }
  }

  private static String firstLine(String message) {
    if (message == null) {
      return "unknown error";
    }
    int newline = message.indexOf('\n');
    return newline < 0 ? message : message.substring(0, newline);
  }
}
